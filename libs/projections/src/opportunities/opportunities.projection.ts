import type { ContactRole, Money, OpportunityEvent } from '@revops/domain';
import type { RecordedEnvelope } from '@revops/event-store';

export type OpportunityStatus = 'open' | 'won' | 'lost';

/**
 * A moment the deal entered a stage or closed, in business time. The whole list is kept with
 * the opportunity because a backdated event can land between two earlier ones, and then the
 * intervals on both sides of it change.
 */
export interface Transition {
  readonly kind: 'opened' | 'stage_change' | 'reopened' | 'won' | 'lost';
  /** The stage entered, or for a close the last open stage. */
  readonly stageId: string;
  readonly at: string;
  /** `at` in ms since the epoch. */
  readonly time: number;
  /** `$all` commit position, decimal: orders transitions that share a business time by arrival. */
  readonly position: string;
}

/** The current state of one opportunity, as the write side decided it (arrival order). */
export interface OpportunityRow {
  readonly opportunityId: string;
  readonly name: string;
  readonly accountId: string;
  readonly ownerId: string;
  readonly pipelineId: string;
  readonly pipelineRevision: number;
  readonly stageId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly expectedCloseDate: string;
  readonly status: OpportunityStatus;
  readonly openedAt: string;
  readonly closedAt: string | null;
  readonly wonAmountMinor: number | null;
  readonly wonCurrency: string | null;
  readonly lossReason: string | null;
  readonly lossNote: string | null;
  readonly contactRoles: readonly ContactRole[];
  readonly streamRevision: bigint;
  readonly transitions: readonly Transition[];
  /** Every expected and won amount in business time: what the open-deal changes and closes are recomputed from. */
  readonly amounts: readonly AmountFigure[];
}

/** One stay in a stage; `exitedAt` is null while the deal is still there. */
export interface StageHistoryRow {
  readonly opportunityId: string;
  /** 1-based place in business-time order. */
  readonly seq: number;
  readonly pipelineId: string;
  readonly stageId: string;
  readonly entry: 'opened' | 'stage_change' | 'reopened';
  readonly enteredAt: string;
  readonly exitedAt: string | null;
  readonly exit: 'stage_change' | 'won' | 'lost' | null;
  readonly durationSeconds: number | null;
  /** When the deal next entered a stage (the next stay's entry), or null for the last stay. */
  readonly nextEnteredAt: string | null;
  /** Every stage the deal had entered by this stay, this one's included, sorted. */
  readonly stagesReached: readonly string[];
}

/**
 * A figure the deal carried from a business time on: its expected amount (opening, amount
 * change) or what it was won for. Kept per event so a report about a past date reads the
 * amount in force then, not today's.
 */
export interface AmountHistoryRow {
  readonly opportunityId: string;
  readonly kind: 'expected' | 'won';
  readonly effectiveAt: string;
  readonly amountMinor: number;
  readonly currency: string;
  /** `$all` commit position, decimal: orders figures that share a business time by arrival. */
  readonly position: string;
}

export type AmountFigure = Omit<AmountHistoryRow, 'opportunityId'> & {
  /** `effectiveAt` in ms since the epoch. */
  readonly time: number;
};

/**
 * A change, at a business time, to what one deal adds to the open pipeline of its stage and
 * currency. A deal's changes up to T, however many batches wrote them, add up to what it
 * holds at T.
 */
export interface OpenDealDeltaRow {
  readonly opportunityId: string;
  readonly pipelineId: string;
  readonly ownerId: string;
  readonly stageId: string;
  readonly currency: string;
  readonly at: string;
  readonly countDelta: number;
  readonly amountDeltaMinor: number;
  /**
   * The stage and currency the deal left at `at` when it moved to `stageId`, or null: there it
   * counts one deal and `exitedAmountMinor` less. A stage move is one row, not one for each
   * side of it.
   */
  readonly exitedStageId: string | null;
  readonly exitedCurrency: string | null;
  readonly exitedAmountMinor: number | null;
}

/** A stay that ended in a win or a loss, with what a report on a period around it needs. */
export interface DealCloseRow {
  readonly opportunityId: string;
  /** The `seq` of the stay the close ended. */
  readonly seq: number;
  readonly pipelineId: string;
  readonly ownerId: string;
  readonly outcome: 'won' | 'lost';
  readonly openedAt: string;
  readonly closedAt: string;
  /** When the deal next entered a stage (reopened), or null. */
  readonly reopenedAt: string | null;
  /** The won figure in force at the close; null for a loss. */
  readonly wonAmountMinor: number | null;
  readonly wonCurrency: string | null;
  /** When a later won figure takes effect, or null: from then on the figure above no longer applies. */
  readonly wonAmountUntil: string | null;
}

export type AddedToLists = Pick<OpportunityRow, 'transitions' | 'amounts' | 'contactRoles'>;

export interface OpportunityChanges {
  /** The new state of every opportunity the batch touched. */
  readonly opportunities: readonly OpportunityRow[];
  /**
   * For each of them, in the same order, what the batch added to its lists, which are only
   * ever added to at their ends: the stored lists followed by these are the new ones.
   */
  readonly added: readonly AddedToLists[];
  /** Those of them that were stored before the batch. */
  readonly stored: ReadonlySet<string>;
  /**
   * How many stays each stored deal had whose stays the batch changed: a stay of a greater
   * `seq` is new, the others replace stored ones.
   */
  readonly storedStays: ReadonlyMap<string, number>;
  /**
   * The stays the batch writes: of each deal whose stays it changed, every stay from the
   * first one that changed on (all of them for a deal it opened), each replacing the stored
   * stay of its `seq` if there is one. A stage entry or close changes its own stay, the one
   * before it and those after it, never an earlier one; and a deal's stays only ever grow in
   * number, so no stored stay is left over. A batch that only changes amounts, dates or
   * contacts changes no stay.
   */
  readonly stageHistory: readonly StageHistoryRow[];
  /** The batch's new amount figures, added to the stored ones. */
  readonly amountHistory: readonly AmountHistoryRow[];
  /**
   * What the batch changed in those opportunities' open-deal changes: added to the stored ones,
   * they add up to the changes of the new state (corrections at the business times they concern).
   */
  readonly openDealDeltas: readonly OpenDealDeltaRow[];
  /**
   * Those of them with a change at an instant where a stored change already is: the deal then
   * has several rows at that instant, or rows adding up to nothing, until its changes are
   * netted. A deal's other changes land at instants of their own.
   */
  readonly correctedDeltas: readonly string[];
  /**
   * Every close of the deals whose stays the batch changed: a later win changes when an
   * earlier one's figure stops applying, so a deal's closes are replaced together.
   */
  readonly closes: readonly DealCloseRow[];
  /** Those of the deals that had closes stored: the batch's closes replace them. */
  readonly closesReplaced: readonly string[];
}

/**
 * Folds a batch of opportunity events onto the stored rows of the opportunities it touches
 * (`current`, keyed by id) and recomputes their stage history in business time.
 */
export function opportunityChanges(
  current: ReadonlyMap<string, OpportunityRow>,
  events: readonly RecordedEnvelope[],
): OpportunityChanges {
  // One working copy per deal the batch touches, made at its first event and changed in place
  // by the next ones: a deal's events mostly come together (an import appends them at once).
  const touched = new Map<string, WorkingRow>();
  const amountHistory: AmountHistoryRow[] = [];
  for (const envelope of events) {
    const event = envelope as unknown as OpportunityEvent;
    const id = event.data.opportunityId;
    const at = envelope.metadata.occurredAt;
    const moment: Moment = { at, time: Date.parse(at), position: envelope.position.commit.toString() };
    const figure = amountFigureOf(event);
    // Field by field, not `{ ...figure, effectiveAt, … }`: in V8 a spread followed by new fields
    // gives every object a hidden class of its own, and every later read of a figure is then a
    // slow lookup (52,000 figures in memory had 52,000 classes).
    const amount = figure && { kind: figure.kind, amountMinor: figure.amountMinor, currency: figure.currency, effectiveAt: at, time: moment.time, position: moment.position };
    if (amount) amountHistory.push({ opportunityId: id, kind: amount.kind, effectiveAt: at, amountMinor: amount.amountMinor, currency: amount.currency, position: moment.position });
    let row = touched.get(id);
    if (row === undefined && event.type !== 'OpportunityOpened') {
      const stored = current.get(id);
      if (stored) row = workingCopy(stored);
    }
    touched.set(id, evolve(row, event, envelope.revision, moment, amount));
  }
  const opportunities: OpportunityRow[] = [...touched.values()];
  const added = opportunities.map((row): AddedToLists => {
    const stored = current.get(row.opportunityId);
    return {
      transitions: row.transitions.slice(stored?.transitions.length ?? 0),
      amounts: row.amounts.slice(stored?.amounts.length ?? 0),
      contactRoles: row.contactRoles.slice(stored?.contactRoles.length ?? 0),
    };
  });
  const stageHistory: StageHistoryRow[] = [];
  const openDealDeltas: OpenDealDeltaRow[] = [];
  const correctedDeltas: string[] = [];
  const closes: DealCloseRow[] = [];
  const closesReplaced: string[] = [];
  const storedIds = new Set<string>();
  const storedStays = new Map<string, number>();
  opportunities.forEach((row, index) => {
    const id = row.opportunityId;
    const stored = current.get(id);
    if (stored) storedIds.add(id);
    const addedTransitions = new Set(added[index].transitions);
    const ordered = inBusinessTimeOrder(row.transitions);
    const fromSeq = firstChangedStay(ordered, addedTransitions);
    if (fromSeq !== null) {
      stageHistory.push(...staysOf(row, ordered, fromSeq));
      if (stored) storedStays.set(id, staysIn(stored.transitions));
      closes.push(...closesOf(row, ordered));
      if (stored?.transitions.some(isClose)) closesReplaced.push(id);
    }
    // What the deal adds to the open pipeline follows its stays and expected amounts only, and
    // does not change before the earliest business time the batch added one of them at.
    const since = stored ? extremeInstant(addedTransitions, added[index].amounts, Math.min, Infinity) : -Infinity;
    if (since === Infinity) return;
    // A deal's events mostly arrive in business time: then it had no change at or after `since`.
    const reachesBack = stored !== undefined && extremeInstant(stored.transitions, stored.amounts, Math.max, -Infinity) >= since;
    const before = reachesBack ? openDealDeltasOf(stored, inBusinessTimeOrder(stored.transitions), since) : [];
    // One computation's changes land at places of their own and none is zero: with nothing
    // stored to take away, they are the difference already.
    const after = openDealDeltasOf(row, ordered, since);
    const changes = before.length > 0 ? difference(row, after, before) : after;
    openDealDeltas.push(...changes);
    if (before.length > 0 && changes.length > 0) {
      const storedInstants = new Set(before.map((change) => change.at));
      if (changes.some((change) => storedInstants.has(change.at))) correctedDeltas.push(id);
    }
  });
  return { opportunities, added, stored: storedIds, storedStays, stageHistory, amountHistory, openDealDeltas, correctedDeltas, closes, closesReplaced };
}

const isClose = (transition: Transition) => transition.kind === 'won' || transition.kind === 'lost';

/** How many stays the transitions make: one per stage entry. */
function staysIn(transitions: readonly Transition[]): number {
  let stays = 0;
  for (const transition of transitions) if (!isClose(transition)) stays++;
  return stays;
}

/**
 * The earliest or latest business time (ms) among transitions and expected figures, the
 * instants a deal's open-pipeline holding can change at; `none` when there is none.
 */
function extremeInstant(
  transitions: Iterable<Transition>,
  figures: readonly AmountFigure[],
  pick: (a: number, b: number) => number,
  none: number,
): number {
  let extreme = none;
  for (const transition of transitions) extreme = pick(extreme, transition.time);
  for (const figure of figures) if (figure.kind === 'expected') extreme = pick(extreme, figure.time);
  return extreme;
}

/**
 * The `seq` of the first stay that `added` (some of the transitions, in business-time order
 * `ordered`) changed, or null when none is added. A stay is made of its entry and the
 * transition after it, and knows when the next stay begins: an added transition changes the
 * stay it falls into and every stay from it on, but none that ends before the stay it falls into.
 */
function firstChangedStay(ordered: readonly Transition[], added: ReadonlySet<Transition>): number | null {
  if (added.size === 0) return null;
  let staysBefore = 0;
  for (const transition of ordered) {
    if (added.has(transition)) break;
    if (!isClose(transition)) staysBefore++;
  }
  return Math.max(1, staysBefore);
}

function amountFigureOf(event: OpportunityEvent): Pick<AmountHistoryRow, 'kind' | 'amountMinor' | 'currency'> | null {
  const figure = (kind: AmountHistoryRow['kind'], money: Money) => ({ kind, amountMinor: money.amountMinor, currency: money.currency });
  switch (event.type) {
    case 'OpportunityOpened':
      return figure('expected', event.data.amount);
    case 'AmountChanged':
      return figure('expected', event.data.to);
    case 'ClosedWon':
      return figure('won', event.data.wonAmount);
    default:
      return null;
  }
}

/** A row the batch changes in place; what it returns is read only from then on. */
type WorkingRow = { -readonly [K in keyof OpportunityRow]: OpportunityRow[K] } & {
  transitions: Transition[];
  amounts: AmountFigure[];
  contactRoles: ContactRole[];
};

/** A copy of a stored row, its lists copied too: the stored row is left as it was. */
function workingCopy(row: OpportunityRow): WorkingRow {
  return { ...row, transitions: [...row.transitions], amounts: [...row.amounts], contactRoles: [...row.contactRoles] };
}

/** When an event happened in business time, and where it lies in `$all`. */
type Moment = Pick<Transition, 'at' | 'time' | 'position'>;

/**
 * The row after the event (at `moment`, its stream's revision `streamRevision`): a new one for
 * an opening, else `row` changed in place, with `amount`, the figure the event carries, if any,
 * added to its amounts.
 */
function evolve(row: WorkingRow | undefined, event: OpportunityEvent, streamRevision: bigint, moment: Moment, amount: AmountFigure | null): WorkingRow {
  const { at, time, position } = moment;
  if (event.type === 'OpportunityOpened') {
    const { data } = event;
    return {
      opportunityId: data.opportunityId,
      name: data.name,
      accountId: data.accountId,
      ownerId: data.ownerId,
      pipelineId: data.pipelineId,
      pipelineRevision: data.pipelineRevision,
      stageId: data.stageId,
      amountMinor: data.amount.amountMinor,
      currency: data.amount.currency,
      expectedCloseDate: data.expectedCloseDate,
      status: 'open',
      openedAt: at,
      closedAt: null,
      wonAmountMinor: null,
      wonCurrency: null,
      lossReason: null,
      lossNote: null,
      contactRoles: [...data.contactRoles],
      streamRevision,
      transitions: [{ kind: 'opened', stageId: data.stageId, at, time, position }],
      amounts: amount ? [amount] : [],
    };
  }
  // The write side only appends to an opened opportunity, so a missing row means the log and
  // this projection disagree: failing stalls it with the event named instead of guessing.
  if (!row) throw new Error(`opportunities projection got ${event.type} for unknown opportunity ${event.data.opportunityId}`);
  row.streamRevision = streamRevision;
  if (amount) row.amounts.push(amount);
  switch (event.type) {
    case 'StageChanged':
      row.stageId = event.data.toStageId;
      row.pipelineRevision = event.data.pipelineRevision;
      row.transitions.push({ kind: 'stage_change', stageId: event.data.toStageId, at, time, position });
      return row;
    case 'AmountChanged':
      row.amountMinor = event.data.to.amountMinor;
      row.currency = event.data.to.currency;
      return row;
    case 'CloseDateChanged':
      row.expectedCloseDate = event.data.to;
      return row;
    case 'ContactRoleAdded': {
      const { contactId, role } = event.data;
      if (!row.contactRoles.some((existing) => existing.contactId === contactId && existing.role === role)) row.contactRoles.push({ contactId, role });
      return row;
    }
    case 'ClosedWon':
      return closed(row, { kind: 'won', stageId: event.data.stageId, at, time, position }, {
        wonAmountMinor: event.data.wonAmount.amountMinor,
        wonCurrency: event.data.wonAmount.currency,
        lossReason: null,
        lossNote: null,
      });
    case 'ClosedLost':
      return closed(row, { kind: 'lost', stageId: event.data.stageId, at, time, position }, {
        wonAmountMinor: null,
        wonCurrency: null,
        lossReason: event.data.reason,
        lossNote: event.data.note,
      });
    case 'Reopened':
      row.status = 'open';
      row.stageId = event.data.stageId;
      row.pipelineRevision = event.data.pipelineRevision;
      row.closedAt = null;
      Object.assign(row, { wonAmountMinor: null, wonCurrency: null, lossReason: null, lossNote: null } satisfies Outcome);
      row.transitions.push({ kind: 'reopened', stageId: event.data.stageId, at, time, position });
      return row;
    default:
      return unknownEvent(event);
  }
}

type Outcome = Pick<OpportunityRow, 'wonAmountMinor' | 'wonCurrency' | 'lossReason' | 'lossNote'>;

/** The row closed by `close` (won or lost, in its stage, at its time), with what the close says. */
function closed(row: WorkingRow, close: Transition & { readonly kind: 'won' | 'lost' }, outcome: Outcome): WorkingRow {
  row.status = close.kind;
  row.stageId = close.stageId;
  row.closedAt = close.at;
  Object.assign(row, outcome);
  row.transitions.push(close);
  return row;
}

function unknownEvent(event: never): never {
  throw new Error(`opportunities projection cannot apply event type ${(event as { type: string }).type}`);
}

/** Orders transitions by business time, then by arrival for ties. */
function inBusinessTimeOrder(transitions: readonly Transition[]): readonly Transition[] {
  return inTimeThenArrivalOrder(transitions);
}

function figuresInBusinessTimeOrder(figures: readonly AmountFigure[], kind: AmountFigure['kind']): readonly AmountFigure[] {
  return inTimeThenArrivalOrder(figures.filter((figure) => figure.kind === kind));
}

/**
 * Sorts by business time, then by `$all` position. A deal's events mostly arrive in business
 * time: a list already in order is the answer itself, and is not changed afterwards.
 */
function inTimeThenArrivalOrder<T extends Transition | AmountFigure>(items: readonly T[]): readonly T[] {
  const inOrder = (a: T, b: T) => a.time - b.time || byDecimalValue(a.position, b.position);
  let previous = -Infinity;
  for (let i = 0; i < items.length; i++) {
    const time = items[i].time;
    if (time < previous || (time === previous && byDecimalValue(items[i - 1].position, items[i].position) > 0)) return [...items].sort(inOrder);
    previous = time;
  }
  return items;
}

/** Compares two non-negative integers written in decimal without leading zeros, as positions are. */
function byDecimalValue(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Each stage entry (in business-time order `ordered`) lasts until the next transition,
 * whatever it is. Only the stays from `fromSeq` on are made; the earlier ones are only walked.
 */
function staysOf(row: OpportunityRow, ordered: readonly Transition[], fromSeq: number): StageHistoryRow[] {
  const history: { -readonly [K in keyof StageHistoryRow]: StageHistoryRow[K] }[] = [];
  // Sorted, and shared by the stays that reached the same stages: a list is never changed.
  let reached: readonly string[] = [];
  let seq = 0;
  for (let index = 0; index < ordered.length; index++) {
    const transition = ordered[index];
    if (isClose(transition)) continue;
    seq++;
    if (!reached.includes(transition.stageId)) reached = [...reached, transition.stageId].sort();
    if (seq < fromSeq) continue;
    const following = ordered[index + 1] as Transition | undefined;
    const previous = history.at(-1);
    if (previous) previous.nextEnteredAt = transition.at;
    history.push({
      opportunityId: row.opportunityId,
      seq,
      pipelineId: row.pipelineId,
      stageId: transition.stageId,
      entry: transition.kind as StageHistoryRow['entry'],
      enteredAt: transition.at,
      exitedAt: following?.at ?? null,
      exit: following ? (isClose(following) ? (following.kind as 'won' | 'lost') : 'stage_change') : null,
      durationSeconds: following ? (following.time - transition.time) / 1000 : null,
      nextEnteredAt: null,
      stagesReached: reached,
    });
  }
  return history;
}

/**
 * The deal's changes to the open pipeline. From each business time on it counts in the stage
 * whose stay spans that time, with the expected amount in force then (the last figure by
 * business time, ties by arrival), and in nothing while it has no such stay or no amount yet.
 * That holding only changes where a stay or a figure begins or ends, so the differences at
 * those instants, summed up to T, give exactly what it holds at T. Only the changes at `since`
 * (ms) or later are returned.
 */
function openDealDeltasOf(row: OpportunityRow, ordered: readonly Transition[], since = -Infinity): OpenDealDeltaRow[] {
  // Each stay as a span of business time, [from, until); in order, and none overlaps the next.
  const stays: Transition[] = [];
  const from: number[] = [];
  const until: number[] = [];
  const instants: number[] = [];
  for (let index = 0; index < ordered.length; index++) {
    const transition = ordered[index];
    if (isClose(transition)) continue;
    const next = index + 1 < ordered.length ? ordered[index + 1].time : Infinity;
    stays.push(transition);
    from.push(transition.time);
    until.push(next);
    instants.push(transition.time);
    if (next !== Infinity) instants.push(next);
  }
  const figures = figuresInBusinessTimeOrder(row.amounts, 'expected');
  // The stays' instants and the figures' are each in order already: the figures are put in
  // place one by one, where an array's sort would make an object of every number.
  for (const { time } of figures) {
    let at = instants.length;
    instants.push(time);
    while (at > 0 && instants[at - 1] > time) {
      instants[at] = instants[at - 1];
      at--;
    }
    instants[at] = time;
  }
  const deltas: OpenDealDeltaRow[] = [];
  let before: Holding | null = null;
  // The stay and the figure in force, found by walking both lists along with the instants.
  let stay = 0;
  let figure = -1;
  for (let index = 0; index < instants.length; index++) {
    const time = instants[index];
    if (index > 0 && time === instants[index - 1]) continue;
    while (stay < stays.length && until[stay] <= time) stay++;
    while (figure + 1 < figures.length && figures[figure + 1].time <= time) figure++;
    const inStay = stay < stays.length && from[stay] <= time;
    const now: Holding | null =
      inStay && figure >= 0 ? { stageId: stays[stay].stageId, currency: figures[figure].currency, amountMinor: figures[figure].amountMinor } : null;
    if (time >= since) addChanges(deltas, row, before, now, new Date(time).toISOString());
    before = now;
  }
  return deltas;
}

/**
 * Adds to `deltas` what moving from holding `before` to `now` at `at` changes in the open
 * pipeline, in one row: a move to another stage or currency carries the holding it left.
 */
function addChanges(deltas: OpenDealDeltaRow[], row: OpportunityRow, before: Holding | null, now: Holding | null, at: string): void {
  if (now && before && now.stageId === before.stageId && now.currency === before.currency) {
    // Still counted in the same stage and currency: only the amount can differ.
    if (now.amountMinor !== before.amountMinor) {
      deltas.push(changeOf(row, at, { stageId: now.stageId, currency: now.currency, countDelta: 0, amountDeltaMinor: now.amountMinor - before.amountMinor }, null));
    }
    return;
  }
  if (now) deltas.push(changeOf(row, at, { stageId: now.stageId, currency: now.currency, countDelta: 1, amountDeltaMinor: now.amountMinor }, before));
  else if (before) deltas.push(changeOf(row, at, { stageId: before.stageId, currency: before.currency, countDelta: -1, amountDeltaMinor: -before.amountMinor }, null));
}

interface Holding {
  readonly stageId: string;
  readonly currency: string;
  readonly amountMinor: number;
}

/** What one deal's changes at one instant add up to in one stage and currency. */
interface Place {
  readonly stageId: string;
  readonly currency: string;
  readonly countDelta: number;
  readonly amountDeltaMinor: number;
}

function changeOf(row: OpportunityRow, at: string, place: Place, exited: Holding | null): OpenDealDeltaRow {
  return {
    opportunityId: row.opportunityId,
    pipelineId: row.pipelineId,
    ownerId: row.ownerId,
    stageId: place.stageId,
    currency: place.currency,
    at,
    countDelta: place.countDelta,
    amountDeltaMinor: place.amountDeltaMinor,
    exitedStageId: exited === null ? null : exited.stageId,
    exitedCurrency: exited === null ? null : exited.currency,
    exitedAmountMinor: exited === null ? null : exited.amountMinor,
  };
}

/**
 * `after` − `before`, per instant, as few rows as it takes: added up per stage and currency,
 * what did not change left out, and the rest folded as `foldedChanges` folds it.
 */
function difference(row: OpportunityRow, after: readonly OpenDealDeltaRow[], before: readonly OpenDealDeltaRow[]): OpenDealDeltaRow[] {
  const instants = new Map<string, Map<string, { -readonly [K in keyof Place]: Place[K] }>>();
  const add = (change: OpenDealDeltaRow, sign: 1 | -1) => {
    let places = instants.get(change.at);
    if (places === undefined) {
      places = new Map();
      instants.set(change.at, places);
    }
    for (const place of placesOf(change)) {
      const key = `${place.stageId}\u0000${place.currency}`;
      const sum = places.get(key);
      if (sum === undefined) places.set(key, { ...place, countDelta: sign * place.countDelta, amountDeltaMinor: sign * place.amountDeltaMinor });
      else {
        sum.countDelta += sign * place.countDelta;
        sum.amountDeltaMinor += sign * place.amountDeltaMinor;
      }
    }
  };
  for (const change of before) add(change, -1);
  for (const change of after) add(change, 1);
  return [...instants].flatMap(([at, places]) => foldedChanges(row, at, [...places.values()]));
}

/** The places a change counts at: its own, and the one the deal left, if any. */
function placesOf(change: OpenDealDeltaRow): Place[] {
  const own: Place = { stageId: change.stageId, currency: change.currency, countDelta: change.countDelta, amountDeltaMinor: change.amountDeltaMinor };
  if (change.exitedStageId === null) return [own];
  return [own, { stageId: change.exitedStageId, currency: change.exitedCurrency as string, countDelta: -1, amountDeltaMinor: -(change.exitedAmountMinor as number) }];
}

/**
 * One deal's changes at one instant, summed per place, as rows: two places one of which
 * loses one deal are one move, as `addChanges` writes it; any other place is a row of its own.
 * The writer nets stored changes by the same rule, so a deal's rows are the same however the
 * log was cut into batches.
 */
function foldedChanges(row: OpportunityRow, at: string, places: readonly Place[]): OpenDealDeltaRow[] {
  const changed = places.filter((place) => place.countDelta !== 0 || place.amountDeltaMinor !== 0);
  const exits = changed.filter((place) => place.countDelta === -1);
  if (changed.length === 2 && exits.length === 1) {
    const [exit] = exits;
    const entry = changed[0] === exit ? changed[1] : changed[0];
    return [changeOf(row, at, entry, { stageId: exit.stageId, currency: exit.currency, amountMinor: -exit.amountDeltaMinor })];
  }
  return changed.map((place) => changeOf(row, at, place, null));
}

/**
 * The stays that ended in a win or a loss. A close counts for a period unless the deal was
 * reopened by its end, and a win counts with the won figure in force at the period's end: the
 * one in force at the close, until a later figure takes effect.
 */
function closesOf(row: OpportunityRow, ordered: readonly Transition[]): DealCloseRow[] {
  const closes: DealCloseRow[] = [];
  let wonFigures: readonly AmountFigure[] | undefined;
  let seq = 0;
  for (let index = 0; index < ordered.length; index++) {
    if (isClose(ordered[index])) continue;
    seq++;
    // A stay ends in a close when the transition right after its entry is one.
    const close = ordered[index + 1] as Transition | undefined;
    if (!close || !isClose(close)) continue;
    const reopening = ordered.slice(index + 2).find((transition) => !isClose(transition));
    let inForce: AmountFigure | undefined;
    let later: AmountFigure | undefined;
    if (close.kind === 'won') {
      wonFigures ??= figuresInBusinessTimeOrder(row.amounts, 'won');
      const closedAt = close.time;
      inForce = wonFigures.filter((figure) => figure.time <= closedAt).at(-1);
      later = wonFigures.find((figure) => figure.time > closedAt);
    }
    closes.push({
      opportunityId: row.opportunityId,
      seq,
      pipelineId: row.pipelineId,
      ownerId: row.ownerId,
      outcome: close.kind as 'won' | 'lost',
      openedAt: row.openedAt,
      closedAt: close.at,
      reopenedAt: reopening?.at ?? null,
      wonAmountMinor: inForce?.amountMinor ?? null,
      wonCurrency: inForce?.currency ?? null,
      wonAmountUntil: later?.effectiveAt ?? null,
    });
  }
  return closes;
}

/** A row of `open_deal_totals`: the open-deal changes of one pipeline, period, stage and currency added up. */
export interface OpenDealTotalRow {
  readonly pipelineId: string;
  readonly period: 'month' | 'day';
  /** The period's first instant, UTC. */
  readonly periodStart: string;
  readonly stageId: string;
  readonly currency: string;
  readonly count: number;
  readonly amountMinor: number;
}

/** A row of `open_deal_owner_totals`: one owner's open-deal changes of one pipeline, UTC month, stage and currency added up. */
export interface OpenDealOwnerTotalRow {
  readonly pipelineId: string;
  readonly ownerId: string;
  /** The month's first instant, UTC. */
  readonly monthStart: string;
  readonly stageId: string;
  readonly currency: string;
  readonly count: number;
  readonly amountMinor: number;
}

/** What some changes add up to in one stage and currency over one period. */
interface PeriodSum {
  count: number;
  amountMinor: number;
}

/** Sums by stage, currency and period (`P` its key). Maps in maps: no key is made per change. */
type StageSums<P> = Map<string, Map<string, Map<P, PeriodSum>>>;

const DAY_MS = 86_400_000;

/**
 * The open-deal changes of a rebuild added up as its batches make them: per pipeline, UTC day,
 * stage and currency, and per pipeline, owner, UTC month, stage and currency. These are the
 * totals its finish would otherwise sum from every stored change (2 s of one PostgreSQL backend
 * at 830,000 changes, before the tables' indexes could be built). Netting a deal's changes
 * regroups them within an instant of that deal, so it leaves these sums as they are. Gives them
 * only when each is exact: an amount beyond the integers a number holds exactly, or a time
 * outside the years 0 to 9999, leaves them to PostgreSQL's bigints.
 */
export class OpenDealTotalsSum {
  /** By pipeline, then stage, currency and day (ms since the epoch over DAY_MS). */
  private readonly days = new Map<string, StageSums<number>>();
  /** By pipeline and owner, then stage, currency and month (year × 12 + month − 1). */
  private readonly ownerMonths = new Map<string, Map<string, StageSums<number>>>();
  private exact = true;

  add(changes: readonly OpenDealDeltaRow[]): void {
    if (!this.exact) return;
    // A deal's changes come together: its pipeline's and owner's sums are looked up once for them.
    let pipelineId: string | undefined;
    let ownerId: string | undefined;
    let days: StageSums<number> | undefined;
    let ownerMonths: StageSums<number> | undefined;
    for (const change of changes) {
      const { at } = change;
      const time = Date.parse(at);
      // Written by toISOString: YYYY-MM-DDTHH:mm:ss.sssZ in the years 0 to 9999, as PostgreSQL reads them.
      if (Number.isNaN(time) || !isIsoInstant(at)) {
        this.exact = false;
        break;
      }
      const day = Math.floor(time / DAY_MS);
      const month = monthNumber(at);
      if (change.pipelineId !== pipelineId || change.ownerId !== ownerId || days === undefined || ownerMonths === undefined) {
        days = inner(this.days, change.pipelineId);
        ownerMonths = inner(inner(this.ownerMonths, change.pipelineId), change.ownerId);
        pipelineId = change.pipelineId;
        ownerId = change.ownerId;
      }
      this.addTo(days, change.stageId, change.currency, day, change.countDelta, change.amountDeltaMinor);
      this.addTo(ownerMonths, change.stageId, change.currency, month, change.countDelta, change.amountDeltaMinor);
      if (change.exitedStageId !== null) {
        const exitedAmount = -(change.exitedAmountMinor as number);
        this.addTo(days, change.exitedStageId, change.exitedCurrency as string, day, -1, exitedAmount);
        this.addTo(ownerMonths, change.exitedStageId, change.exitedCurrency as string, month, -1, exitedAmount);
      }
    }
    if (!this.exact) this.clear();
  }

  /**
   * The totals that are not zero (days and months, and each owner's months), then nothing more:
   * a sum is taken once, and a finish run again sums the stored changes. Undefined when they
   * are not exact.
   */
  take(): { totals: OpenDealTotalRow[]; ownerTotals: OpenDealOwnerTotalRow[] } | undefined {
    if (!this.exact) return undefined;
    this.exact = false;
    const totals: OpenDealTotalRow[] = [];
    for (const [pipelineId, byStage] of this.days) {
      for (const [stageId, byCurrency] of byStage) {
        for (const [currency, byDay] of byCurrency) {
          const months = new Map<number, PeriodSum>();
          for (const [day, { count, amountMinor }] of byDay) {
            const start = new Date(day * DAY_MS).toISOString();
            if (count !== 0 || amountMinor !== 0) totals.push({ pipelineId, period: 'day', periodStart: start, stageId, currency, count, amountMinor });
            addToSum(months, monthNumber(start), count, amountMinor);
          }
          for (const [month, { count, amountMinor }] of months) {
            if (!Number.isSafeInteger(amountMinor)) return undefined;
            if (count !== 0 || amountMinor !== 0) totals.push({ pipelineId, period: 'month', periodStart: monthStart(month), stageId, currency, count, amountMinor });
          }
        }
      }
    }
    const ownerTotals: OpenDealOwnerTotalRow[] = [];
    for (const [pipelineId, byOwner] of this.ownerMonths) {
      for (const [ownerId, byStage] of byOwner) {
        for (const [stageId, byCurrency] of byStage) {
          for (const [currency, byMonth] of byCurrency) {
            for (const [month, { count, amountMinor }] of byMonth) {
              if (count !== 0 || amountMinor !== 0) ownerTotals.push({ pipelineId, ownerId, monthStart: monthStart(month), stageId, currency, count, amountMinor });
            }
          }
        }
      }
    }
    this.clear();
    return { totals, ownerTotals };
  }

  private clear(): void {
    this.days.clear();
    this.ownerMonths.clear();
  }

  private addTo(byStage: StageSums<number>, stageId: string, currency: string, period: number, count: number, amountMinor: number): void {
    const sum = addToSum(inner(inner(byStage, stageId), currency), period, count, amountMinor);
    if (!Number.isSafeInteger(sum.amountMinor)) this.exact = false;
  }
}

/** The map `outer` holds under `key`, added empty when it holds none. */
function inner<K, V extends Map<unknown, unknown>>(outer: Map<K, V>, key: K): V {
  let map = outer.get(key);
  if (map === undefined) {
    map = new Map() as V;
    outer.set(key, map);
  }
  return map;
}

function addToSum<P>(sums: Map<P, PeriodSum>, period: P, count: number, amountMinor: number): PeriodSum {
  const sum = sums.get(period);
  if (sum === undefined) {
    const added = { count, amountMinor };
    sums.set(period, added);
    return added;
  }
  sum.count += count;
  sum.amountMinor += amountMinor;
  return sum;
}

/** Whether `at` has toISOString's form: YYYY-MM-DDTHH:mm:ss.sssZ, in the years 0 to 9999. */
function isIsoInstant(at: string): boolean {
  return at.length === 24 && at.charCodeAt(4) === 45 && at.charCodeAt(7) === 45 && at.charCodeAt(10) === 84 && at.charCodeAt(23) === 90;
}

/** The month of an instant in toISOString's form, as year × 12 + month − 1: a number, where `YYYY-MM` would be a new string to hash per change. */
function monthNumber(at: string): number {
  const year = (at.charCodeAt(0) - 48) * 1000 + (at.charCodeAt(1) - 48) * 100 + (at.charCodeAt(2) - 48) * 10 + (at.charCodeAt(3) - 48);
  return year * 12 + (at.charCodeAt(5) - 48) * 10 + (at.charCodeAt(6) - 48) - 1;
}

/** The first instant of a UTC month given by `monthNumber`. */
function monthStart(month: number): string {
  const year = Math.floor(month / 12);
  return `${String(year).padStart(4, '0')}-${String((month % 12) + 1).padStart(2, '0')}-01T00:00:00.000Z`;
}
