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

export interface OpportunityChanges {
  /** The new state of every opportunity the batch touched. */
  readonly opportunities: readonly OpportunityRow[];
  /** The complete stage history of those opportunities, replacing what was stored. */
  readonly stageHistory: readonly StageHistoryRow[];
  /** The batch's new amount figures, added to the stored ones. */
  readonly amountHistory: readonly AmountHistoryRow[];
}

/**
 * Folds a batch of opportunity events onto the stored rows of the opportunities it touches
 * (`current`, keyed by id) and recomputes their stage history in business time.
 */
export function opportunityChanges(
  current: ReadonlyMap<string, OpportunityRow>,
  events: readonly RecordedEnvelope[],
): OpportunityChanges {
  const touched = new Map<string, OpportunityRow>();
  const amountHistory: AmountHistoryRow[] = [];
  for (const envelope of events) {
    const event = envelope as unknown as OpportunityEvent;
    const id = event.data.opportunityId;
    const before = touched.get(id) ?? current.get(id);
    touched.set(id, evolve(before, event, envelope));
    const figure = amountFigureOf(event);
    if (figure) {
      amountHistory.push({
        opportunityId: id,
        ...figure,
        effectiveAt: envelope.metadata.occurredAt,
        position: envelope.position.commit.toString(),
      });
    }
  }
  const opportunities = [...touched.values()];
  return { opportunities, stageHistory: opportunities.flatMap(stageHistoryOf), amountHistory };
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

function evolve(row: OpportunityRow | undefined, event: OpportunityEvent, envelope: RecordedEnvelope): OpportunityRow {
  const at = envelope.metadata.occurredAt;
  const position = envelope.position.commit.toString();
  const streamRevision = envelope.revision;
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
      transitions: [{ kind: 'opened', stageId: data.stageId, at, position }],
    };
  }
  // The write side only appends to an opened opportunity, so a missing row means the log and
  // this projection disagree: failing stalls it with the event named instead of guessing.
  if (!row) throw new Error(`opportunities projection got ${event.type} for unknown opportunity ${event.data.opportunityId}`);
  const next = { ...row, streamRevision };
  switch (event.type) {
    case 'StageChanged':
      return {
        ...next,
        stageId: event.data.toStageId,
        pipelineRevision: event.data.pipelineRevision,
        transitions: [...row.transitions, { kind: 'stage_change', stageId: event.data.toStageId, at, position }],
      };
    case 'AmountChanged':
      return { ...next, amountMinor: event.data.to.amountMinor, currency: event.data.to.currency };
    case 'CloseDateChanged':
      return { ...next, expectedCloseDate: event.data.to };
    case 'ContactRoleAdded': {
      const { contactId, role } = event.data;
      const known = row.contactRoles.some((existing) => existing.contactId === contactId && existing.role === role);
      return known ? next : { ...next, contactRoles: [...row.contactRoles, { contactId, role }] };
    }
    case 'ClosedWon':
      return {
        ...next,
        status: 'won',
        stageId: event.data.stageId,
        closedAt: at,
        wonAmountMinor: event.data.wonAmount.amountMinor,
        wonCurrency: event.data.wonAmount.currency,
        lossReason: null,
        lossNote: null,
        transitions: [...row.transitions, { kind: 'won', stageId: event.data.stageId, at, position }],
      };
    case 'ClosedLost':
      return {
        ...next,
        status: 'lost',
        stageId: event.data.stageId,
        closedAt: at,
        wonAmountMinor: null,
        wonCurrency: null,
        lossReason: event.data.reason,
        lossNote: event.data.note,
        transitions: [...row.transitions, { kind: 'lost', stageId: event.data.stageId, at, position }],
      };
    case 'Reopened':
      return {
        ...next,
        status: 'open',
        stageId: event.data.stageId,
        pipelineRevision: event.data.pipelineRevision,
        closedAt: null,
        wonAmountMinor: null,
        wonCurrency: null,
        lossReason: null,
        lossNote: null,
        transitions: [...row.transitions, { kind: 'reopened', stageId: event.data.stageId, at, position }],
      };
    default:
      return unknownEvent(event);
  }
}

function unknownEvent(event: never): never {
  throw new Error(`opportunities projection cannot apply event type ${(event as { type: string }).type}`);
}

/** Orders transitions by business time, then by arrival for ties. */
export function inBusinessTimeOrder(transitions: readonly Transition[]): Transition[] {
  return [...transitions].sort((a, b) => {
    const byTime = Date.parse(a.at) - Date.parse(b.at);
    if (byTime !== 0) return byTime;
    const byPosition = BigInt(a.position) - BigInt(b.position);
    return byPosition === 0n ? 0 : byPosition < 0n ? -1 : 1;
  });
}

/** Each stage entry lasts until the next transition in business time, whatever it is. */
export function stageHistoryOf(row: OpportunityRow): StageHistoryRow[] {
  const ordered = inBusinessTimeOrder(row.transitions);
  const history: StageHistoryRow[] = [];
  ordered.forEach((transition, index) => {
    if (transition.kind === 'won' || transition.kind === 'lost') return;
    const following = ordered[index + 1];
    history.push({
      opportunityId: row.opportunityId,
      seq: history.length + 1,
      pipelineId: row.pipelineId,
      stageId: transition.stageId,
      entry: transition.kind,
      enteredAt: transition.at,
      exitedAt: following?.at ?? null,
      exit: following ? (following.kind === 'won' || following.kind === 'lost' ? following.kind : 'stage_change') : null,
      durationSeconds: following ? (Date.parse(following.at) - Date.parse(transition.at)) / 1000 : null,
    });
  });
  return history;
}
