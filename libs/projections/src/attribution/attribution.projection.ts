import {
  attribute,
  buildJourney,
  DEFAULT_HALF_LIFE_DAYS,
  dimensions,
  NO_TOUCH,
  ruleBasedModels,
  type Attribution,
  type Basis,
  type Journey,
  type JourneyQuery,
  type JourneyTouch,
  type RuleBasedModel,
  type Touch,
} from '@revops/attribution';
import { isInteraction, type ContactEvent, type JourneyEvent, type OpportunityEvent } from '@revops/domain';
import type { RecordedEnvelope } from '@revops/event-store';
import { creditKeyOf, TOTAL_DIMENSION } from './attribution-keys';

/**
 * A touch as attribution keeps it: the journey's fields, whose person and account it belongs
 * to, and its log position. Only interactions are kept; the rest are never eligible.
 */
export type AttributionTouchRow = Omit<JourneyTouch, 'occurredAtMs' | 'position'> & {
  readonly personKey: string;
  readonly accountId: string | null;
  readonly commitPosition: string;
};

/** A deal as it opened: the pipeline basis's anchor and amount, never changed by later events. */
export interface OpenedDealRow {
  readonly opportunityId: string;
  readonly accountId: string;
  readonly openedAt: string;
  readonly amountMinor: string;
  readonly currency: string;
}

/** The revenue basis's anchor and amount: set by a win, cleared by reopening a won deal. */
export interface DealOutcomeRow {
  readonly opportunityId: string;
  readonly wonAt: string | null;
  readonly wonAmountMinor: string | null;
  readonly wonCurrency: string | null;
}

export interface AttributionInputs {
  readonly touches: readonly AttributionTouchRow[];
  /** `anon-…` person keys stitched to a contact. */
  readonly identityLinks: readonly { readonly personKey: string; readonly contactId: string }[];
  /** In batch order: a survivor takes over every person key of the contact merged into it. */
  readonly merges: readonly { readonly survivorContactId: string; readonly mergedContactId: string }[];
  readonly leads: readonly { readonly contactId: string; readonly leadAt: string }[];
  /** First entries into MQL, for campaign performance; they change no credit. */
  readonly mqls: readonly { readonly contactId: string; readonly mqlAt: string }[];
  readonly openedDeals: readonly OpenedDealRow[];
  readonly outcomes: readonly DealOutcomeRow[];
  readonly dealContacts: readonly { readonly opportunityId: string; readonly contactId: string }[];
  /** Deals whose own events change their journey or basis; touches' deals are found in SQL. */
  readonly changedDeals: ReadonlySet<string>;
  /** Contacts whose lead time or person keys changed: every deal they have a role on is recomputed. */
  readonly changedContacts: ReadonlySet<string>;
  /** Commit position (decimal) of the batch's last event that changed an input; null when none did. */
  readonly lastChangePosition: string | null;
}

type AttributionEvent = JourneyEvent | ContactEvent | OpportunityEvent;

/**
 * The event types `attributionInputs` takes anything from: what the projection consumes of its
 * streams. Most of a deal's events (stage moves, amounts, close dates, losses) change no input,
 * and a catch-up that never hands them over does a third of the work per deal: over a rebuild of
 * 1,000,000 events, its end came 0.5 to 1 s sooner. Every type of its streams is in this list or
 * in IGNORED_EVENT_TYPES (checked when compiling), and one the switch below starts to use moves here.
 */
export const ATTRIBUTION_EVENT_TYPES = [
  'TouchpointRecorded',
  'LeadCaptured',
  'IdentityLinked',
  'ContactMerged',
  'LifecycleStageChanged',
  'OpportunityOpened',
  'ContactRoleAdded',
  'ClosedWon',
  'Reopened',
] as const satisfies readonly AttributionEvent['type'][];

/**
 * The other types of attribution's streams, which give it no input. Its filter leaves them out,
 * but for ContactMergedInto, which the prefix ContactMerged also matches.
 */
export const IGNORED_EVENT_TYPES = [
  'AmountChanged',
  'CloseDateChanged',
  'StageChanged',
  'ClosedLost',
  'ContactUpdated',
  'LeadScored',
  'LeadAcceptedBySales',
  'LeadRejectedBySales',
  'ContactMergedInto',
] as const satisfies readonly Exclude<AttributionEvent['type'], (typeof ATTRIBUTION_EVENT_TYPES)[number]>[];

/** Fails to compile while a type of attribution's streams is in neither list. */
const EVERY_TYPE_LISTED: Exclude<AttributionEvent['type'], (typeof ATTRIBUTION_EVENT_TYPES | typeof IGNORED_EVENT_TYPES)[number]> extends never ? true : never = true;
void EVERY_TYPE_LISTED;

/** What one batch adds to attribution's inputs, and which deals and contacts it changes. */
export function attributionInputs(batch: readonly RecordedEnvelope[]): AttributionInputs {
  const touches = new Map<string, AttributionTouchRow>();
  const identityLinks: { personKey: string; contactId: string }[] = [];
  const merges: { survivorContactId: string; mergedContactId: string }[] = [];
  const leads: { contactId: string; leadAt: string }[] = [];
  const mqls: { contactId: string; mqlAt: string }[] = [];
  const openedDeals: OpenedDealRow[] = [];
  const outcomes = new Map<string, DealOutcomeRow>();
  const dealContacts: { opportunityId: string; contactId: string }[] = [];
  const changedDeals = new Set<string>();
  const changedContacts = new Set<string>();
  let lastChangePosition: string | null = null;

  for (const envelope of batch) {
    const event = envelope as unknown as AttributionEvent;
    const at = envelope.metadata.occurredAt;
    if (changesInputs(event)) lastChangePosition = envelope.position.commit.toString();
    switch (event.type) {
      case 'TouchpointRecorded': {
        const { data } = event;
        if (!isInteraction(data.kind) || touches.has(data.touchpointId)) break;
        touches.set(data.touchpointId, {
          touchpointId: data.touchpointId,
          personKey: data.personKey,
          accountId: data.accountId,
          occurredAt: at,
          commitPosition: envelope.position.commit.toString(),
          kind: data.kind,
          channel: data.channel,
          campaignId: data.campaignId,
          source: data.utm.source,
          medium: data.utm.medium,
          content: data.utm.content,
        });
        break;
      }
      case 'LeadCaptured':
        leads.push({ contactId: event.data.contactId, leadAt: at });
        changedContacts.add(event.data.contactId);
        break;
      case 'IdentityLinked':
        identityLinks.push({ personKey: `anon-${event.data.anonymousId}`, contactId: event.data.contactId });
        changedContacts.add(event.data.contactId);
        break;
      case 'ContactMerged':
        merges.push({ survivorContactId: event.data.contactId, mergedContactId: event.data.mergedContactId });
        changedContacts.add(event.data.contactId);
        break;
      case 'OpportunityOpened': {
        const { data } = event;
        openedDeals.push({
          opportunityId: data.opportunityId,
          accountId: data.accountId,
          openedAt: at,
          amountMinor: String(data.amount.amountMinor),
          currency: data.amount.currency,
        });
        for (const { contactId } of data.contactRoles) dealContacts.push({ opportunityId: data.opportunityId, contactId });
        changedDeals.add(data.opportunityId);
        break;
      }
      case 'ContactRoleAdded':
        dealContacts.push({ opportunityId: event.data.opportunityId, contactId: event.data.contactId });
        changedDeals.add(event.data.opportunityId);
        break;
      case 'ClosedWon': {
        const { opportunityId, wonAmount } = event.data;
        outcomes.set(opportunityId, { opportunityId, wonAt: at, wonAmountMinor: String(wonAmount.amountMinor), wonCurrency: wonAmount.currency });
        changedDeals.add(opportunityId);
        break;
      }
      case 'Reopened':
        // A reopened won deal has earned nothing until it is won again; a reopened lost one never had revenue credit.
        if (event.data.previousOutcome === 'won') {
          const { opportunityId } = event.data;
          outcomes.set(opportunityId, { opportunityId, wonAt: null, wonAmountMinor: null, wonCurrency: null });
          changedDeals.add(opportunityId);
        }
        break;
      case 'LifecycleStageChanged':
        if (event.data.to === 'mql') mqls.push({ contactId: event.data.contactId, mqlAt: at });
        break;
      // IGNORED_EVENT_TYPES: the pipeline basis takes the amount at opening and the revenue basis
      // the won amount, so later amounts, close dates, stages and losses change no credit.
      case 'AmountChanged':
      case 'CloseDateChanged':
      case 'StageChanged':
      case 'ClosedLost':
      case 'ContactUpdated':
      case 'LeadScored':
      case 'LeadAcceptedBySales':
      case 'LeadRejectedBySales':
      case 'ContactMergedInto':
        break;
      default:
        assertNever(event);
    }
  }
  return {
    touches: [...touches.values()],
    identityLinks,
    merges,
    leads,
    mqls,
    openedDeals,
    outcomes: [...outcomes.values()],
    dealContacts,
    changedDeals,
    changedContacts,
    lastChangePosition,
  };
}

/** Whether an event changes what attribution is computed from; a touch nobody acted on does not. */
function changesInputs(event: AttributionEvent): boolean {
  switch (event.type) {
    case 'TouchpointRecorded':
      return isInteraction(event.data.kind);
    case 'LifecycleStageChanged':
      return event.data.to === 'mql';
    case 'Reopened':
      return event.data.previousOutcome === 'won';
    case 'LeadCaptured':
    case 'IdentityLinked':
    case 'ContactMerged':
    case 'OpportunityOpened':
    case 'ContactRoleAdded':
    case 'ClosedWon':
      return true;
    default:
      return false;
  }
}

// Anything else on the streams read is an event this version does not know: failing stalls
// the projection with the event named, rather than leaving credits silently stale.
function assertNever(event: never): never {
  throw new Error(`attribution projection cannot apply event type ${(event as { type: string }).type}`);
}

/** The rule-based models whose credits are kept at the default lookback; CUSTOM is computed per query. */
export const storedModels = ruleBasedModels.filter((name) => name !== 'CUSTOM');

export type StoredModelName = (typeof storedModels)[number];

/** A deal's attribution facts, as the journey reader returns them. */
export interface DealFacts {
  readonly opportunityId: string;
  readonly openedAt: string;
  readonly amountMinor: string;
  readonly currency: string;
  readonly wonAt: string | null;
  readonly wonAmountMinor: string | null;
  readonly wonCurrency: string | null;
  /** When the oldest contact on the deal became a lead. */
  readonly leadCreatedAt: string | null;
}

export interface DealJourney {
  readonly deal: DealFacts;
  /** Candidate touches (interactions within the widest window); `buildJourney` picks each basis's. */
  readonly touches: readonly Touch[];
}

/** One touch's credit on one deal, model and basis; the touchpoint `(none)` takes a deal with no eligible touch. */
export interface CreditRow {
  readonly opportunityId: string;
  readonly basis: Basis;
  readonly model: string;
  readonly touchpointId: string;
  /** Place in the journey: touches by occurredAt, then log position. */
  readonly ordinal: number;
  readonly anchorAt: string;
  readonly currency: string;
  /** Decimal with 18 places: exact sums in SQL numeric, so subtracting a deal's credits leaves no residue. */
  readonly share: string;
  readonly creditMinor: number;
  readonly positions: readonly string[];
  readonly occurredAt: string | null;
  readonly kind: string | null;
  readonly channel: string | null;
  readonly campaignId: string | null;
  readonly source: string | null;
  readonly medium: string | null;
  readonly content: string | null;
}

export interface CreditOptions {
  readonly models: readonly RuleBasedModel[];
  readonly lookbackDays?: number;
  readonly kinds?: readonly string[];
  readonly channels?: readonly string[];
  /** Only these bases; both when absent (the revenue basis only for won deals). */
  readonly bases?: readonly Basis[];
}

export const storedModelSpecs: readonly RuleBasedModel[] = storedModels.map((name) =>
  name === 'TIME_DECAY' ? { name, halfLifeDays: DEFAULT_HALF_LIFE_DAYS } : { name },
) as RuleBasedModel[];

/** Every credit of one deal under the given models, on the pipeline basis and, when it is won, the revenue basis. */
export function dealCredits({ deal, touches }: DealJourney, options: CreditOptions): CreditRow[] {
  const rows: CreditRow[] = [];
  const byId = new Map(touches.map((touch) => [touch.touchpointId, touch]));
  for (const basis of options.bases ?? (['PIPELINE', 'REVENUE'] as const)) {
    if (basis === 'REVENUE' && deal.wonAt === null) continue;
    const journey = dealJourney({ deal, touches }, { basis, lookbackDays: options.lookbackDays, kinds: options.kinds, channels: options.channels });
    for (const model of options.models) rows.push(...creditRows(deal.opportunityId, attribute(journey, model), byId));
  }
  return rows;
}

/**
 * The model a stored credit has when it stands for every stored model: a deal with no
 * eligible touch on a basis is credited whole to `(none)` by each model alike, so that
 * credit is kept once instead of once per model. Readers of one model read its own
 * credits and these (`storedModelKeys`).
 */
export const EVERY_STORED_MODEL = '(all)';

/** The values of `credits.model` and `credit_totals.model` that hold a stored model's credits. */
export function storedModelKeys(model: string): string[] {
  return [model, EVERY_STORED_MODEL];
}

/**
 * The credits the projection keeps of one deal: every stored model's, with a basis that
 * every model credits to `(none)` kept as one credit under EVERY_STORED_MODEL.
 */
export function storedDealCredits(journey: DealJourney): CreditRow[] {
  // Without a single touch, every model credits each basis whole to (none), so one model's
  // credits stand for all of them: no need to work out the rest only to find them the same.
  if (journey.touches.length === 0) {
    return dealCredits(journey, { models: storedModelSpecs.slice(0, 1) }).map((row) => ({ ...row, model: EVERY_STORED_MODEL }));
  }
  const rows = dealCredits(journey, { models: storedModelSpecs });
  return [...new Set(rows.map((row) => row.basis))].flatMap((basis) => {
    const credits = rows.filter((row) => row.basis === basis);
    const untouched = credits.length === storedModelSpecs.length && credits.every((row) => row.touchpointId === NO_TOUCH);
    return untouched ? [{ ...credits[0], model: EVERY_STORED_MODEL }] : credits;
  });
}

/** The deal's eligible journey on one basis: anchored at opening or at the win, with that basis's amount. */
export function dealJourney({ deal, touches }: DealJourney, query: JourneyQuery): Journey {
  const revenue = query.basis === 'REVENUE';
  return buildJourney(
    touches,
    {
      openedAt: deal.openedAt,
      closedWonAt: deal.wonAt,
      leadCreatedAt: deal.leadCreatedAt,
      amountMinor: Number(revenue ? deal.wonAmountMinor : deal.amountMinor),
      currency: (revenue ? deal.wonCurrency : deal.currency) as string,
    },
    query,
  );
}

function creditRows(opportunityId: string, attribution: Attribution, touches: ReadonlyMap<string, Touch>): CreditRow[] {
  const shares = decimalShares(attribution.credits.map((credit) => credit.exactShare));
  return attribution.credits.map((credit, ordinal) => {
    const touch = credit.key === NO_TOUCH ? undefined : touches.get(credit.key);
    return {
      opportunityId,
      basis: attribution.basis,
      model: attribution.model,
      touchpointId: credit.key,
      ordinal,
      anchorAt: attribution.anchor,
      currency: attribution.currency,
      share: shares[ordinal],
      creditMinor: credit.creditMinor,
      positions: credit.positions,
      occurredAt: touch?.occurredAt ?? null,
      kind: touch?.kind ?? null,
      channel: touch?.channel ?? null,
      campaignId: touch?.campaignId ?? null,
      source: touch?.source ?? null,
      medium: touch?.medium ?? null,
      content: touch?.content ?? null,
    };
  });
}

const SHARE_PLACES = 18n;
const SHARE_SCALE = 10n ** SHARE_PLACES;

/**
 * One journey's shares as decimals with 18 places that add up to exactly 1, as its money adds
 * up to its amount: each the floor of its exact share, and the few units left to the largest
 * share, the earliest of equal ones.
 */
export function decimalShares(shares: readonly { readonly numerator: bigint; readonly denominator: bigint }[]): string[] {
  const scaled = shares.map(({ numerator, denominator }) => (numerator * SHARE_SCALE) / denominator);
  let largest = 0;
  shares.forEach(({ numerator, denominator }, index) => {
    const top = shares[largest];
    if (numerator * top.denominator > top.numerator * denominator) largest = index;
  });
  if (scaled.length > 0) scaled[largest] += SHARE_SCALE - scaled.reduce((sum, part) => sum + part, 0n);
  return scaled.map(decimalOf);
}

/** A change to one row of `credit_totals`: conversions as an exact decimal, amount and deals as integers. */
export interface CreditTotalsDelta {
  readonly model: string;
  readonly currency: string;
  readonly dimension: string;
  readonly anchorDay: string;
  readonly basis: string;
  readonly key: string;
  readonly conversions: string;
  readonly amountMinor: number;
  readonly deals: number;
}

/** A stored credit as the writer removes it: what its totals were made of. */
export type StoredCredit = Pick<
  CreditRow,
  'opportunityId' | 'basis' | 'model' | 'touchpointId' | 'anchorAt' | 'currency' | 'share' | 'creditMinor' | 'channel' | 'campaignId' | 'source' | 'medium' | 'content'
>;

/**
 * What replacing `removed` credits by `added` ones does to the daily totals, per model,
 * currency, dimension (and the whole deal under `TOTAL_DIMENSION`), anchor day, basis and key.
 * Shares add up exactly as 18-place decimals; groups that do not change are left out.
 */
export function creditTotalsDelta(removed: readonly StoredCredit[], added: readonly StoredCredit[]): CreditTotalsDelta[] {
  interface Group {
    readonly key: TotalsKey;
    conversions: bigint;
    amountMinor: number;
    readonly dealsBefore: Set<string>;
    readonly dealsAfter: Set<string>;
  }
  const groups = new Map<string, Group>();
  const add = (credit: StoredCredit, sign: 1 | -1) => {
    const share = sign === 1 ? scaledShare(credit.share) : -scaledShare(credit.share);
    forEachTotalsGroup(credit, (common, dimension, key) => {
      const id = `${common}\u0000${dimension}\u0000${key}`;
      let group = groups.get(id);
      if (!group) {
        group = { key: totalsKey(credit, dimension, key), conversions: 0n, amountMinor: 0, dealsBefore: new Set(), dealsAfter: new Set() };
        groups.set(id, group);
      }
      group.conversions += share;
      group.amountMinor += sign * credit.creditMinor;
      (sign < 0 ? group.dealsBefore : group.dealsAfter).add(credit.opportunityId);
    });
  };
  for (const credit of removed) add(credit, -1);
  for (const credit of added) add(credit, 1);
  const deltas: CreditTotalsDelta[] = [];
  for (const { key, conversions, amountMinor, dealsBefore, dealsAfter } of groups.values()) {
    const deals = dealsAfter.size - dealsBefore.size;
    if (conversions !== 0n || amountMinor !== 0 || deals !== 0) deltas.push(totalsRow(key, decimalOf(conversions), amountMinor, deals));
  }
  return deltas;
}

/**
 * `credit_totals` of every deal, summed as the deals are credited: what `creditTotalsDelta`
 * gives for all their credits at once, without holding them. Takes each deal's credits
 * together, as `dealCredits` gives them, a deal in one call only.
 *
 * It sums millions of shares during a rebuild, so a share is kept as three integers in
 * ordinary numbers (whole units, then two nine-digit parts of the 18-place fraction) rather
 * than one BigInt per addition: each part stays exact far beyond the number of credits a
 * total can hold, and the carry is done once, when the totals are read.
 */
export class CreditTotalsSum {
  /** Per model, currency, anchor day and basis, per dimension (TOTALS_DIMENSIONS order): the groups by key. */
  private readonly groups = new Map<string, Array<Map<string, SummedGroup>>>();

  add(credits: readonly StoredCredit[]): void {
    for (const credit of credits) {
      const share = shareParts(credit.share);
      forEachTotalsGroup(credit, (common, dimension, key) => {
        let byDimension = this.groups.get(common);
        if (byDimension === undefined) {
          byDimension = TOTALS_DIMENSIONS.map(() => new Map<string, SummedGroup>());
          this.groups.set(common, byDimension);
        }
        const byKey = byDimension[dimension];
        const group = byKey.get(key);
        if (group === undefined) {
          byKey.set(key, { key: totalsKey(credit, dimension, key), ...share, amountMinor: credit.creditMinor, deals: 1, lastDeal: credit.opportunityId });
          return;
        }
        group.whole += share.whole;
        group.high += share.high;
        group.low += share.low;
        group.amountMinor += credit.creditMinor;
        if (group.lastDeal !== credit.opportunityId) {
          group.deals++;
          group.lastDeal = credit.opportunityId;
        }
      });
    }
  }

  totals(): CreditTotalsDelta[] {
    const totals: CreditTotalsDelta[] = [];
    for (const byDimension of this.groups.values()) {
      for (const byKey of byDimension) {
        for (const group of byKey.values()) {
          const { key, amountMinor, deals } = group;
          totals.push(totalsRow(key, decimalOfParts(group), amountMinor, deals));
        }
      }
    }
    return totals;
  }
}

/** A share as whole units and the two nine-digit halves of its fraction, each an integer, all of one sign. */
interface ShareParts {
  whole: number;
  high: number;
  low: number;
}

interface SummedGroup extends ShareParts {
  readonly key: TotalsKey;
  amountMinor: number;
  deals: number;
  lastDeal: string;
}

function shareParts(share: string): ShareParts {
  const negative = share.startsWith('-');
  const [whole, fraction = ''] = (negative ? share.slice(1) : share).split('.');
  const digits = fraction.padEnd(Number(SHARE_PLACES), '0');
  const sign = negative ? -1 : 1;
  return { whole: sign * Number(whole), high: sign * Number(digits.slice(0, 9)), low: sign * Number(digits.slice(9, 18)) };
}

const SHARE_PART = 1e9;

/** The sum of shares as an 18-place decimal, carrying from the low part up. */
function decimalOfParts({ whole, high, low }: ShareParts): string {
  if (whole < 0 || high < 0 || low < 0) {
    return decimalOf(BigInt(whole) * SHARE_SCALE + BigInt(high) * BigInt(SHARE_PART) + BigInt(low));
  }
  // Whole multiples only: exact for any integer a double holds exactly.
  const carry = (part: number) => (part - (part % SHARE_PART)) / SHARE_PART;
  const carriedHigh = high + carry(low);
  const units = whole + carry(carriedHigh);
  const nine = (part: number) => String(part % SHARE_PART).padStart(9, '0');
  return `${units}.${nine(carriedHigh)}${nine(low)}`;
}

type TotalsKey = Omit<CreditTotalsDelta, 'conversions' | 'amountMinor' | 'deals'>;

/**
 * The totals groups a credit counts in, the whole deal's first, then one per dimension:
 * `common` holds the model, currency, anchor day and basis, `dimension` is the place in
 * TOTALS_DIMENSIONS, `key` the credit's key under it.
 */
function forEachTotalsGroup(credit: StoredCredit, visit: (common: string, dimension: number, key: string) => void): void {
  const common = `${credit.model}\u0000${credit.currency}\u0000${anchorDayOf(credit)}\u0000${credit.basis}`;
  for (let dimension = 0; dimension < TOTALS_DIMENSIONS.length; dimension++) {
    const name = TOTALS_DIMENSIONS[dimension];
    visit(common, dimension, name === TOTAL_DIMENSION ? '' : creditKeyOf(credit, name));
  }
}

/**
 * A totals row, written out field by field: in V8 `{ ...key, conversions, … }` gives every
 * object a hidden class of its own, and every read of the rows a slow lookup.
 */
function totalsRow(key: TotalsKey, conversions: string, amountMinor: number, deals: number): CreditTotalsDelta {
  return { model: key.model, currency: key.currency, dimension: key.dimension, anchorDay: key.anchorDay, basis: key.basis, key: key.key, conversions, amountMinor, deals };
}

function totalsKey(credit: StoredCredit, dimension: number, key: string): TotalsKey {
  return { model: credit.model, currency: credit.currency, dimension: TOTALS_DIMENSIONS[dimension], anchorDay: anchorDayOf(credit), basis: credit.basis, key };
}

function anchorDayOf(credit: StoredCredit): string {
  return credit.anchorAt.slice(0, 10);
}

const TOTALS_DIMENSIONS = [TOTAL_DIMENSION, ...dimensions] as const;

/** An 18-place decimal as an integer of 10^-18 units. */
function scaledShare(share: string): bigint {
  const [whole, fraction = ''] = share.split('.');
  return BigInt(whole) * SHARE_SCALE + BigInt(fraction.padEnd(Number(SHARE_PLACES), '0').slice(0, Number(SHARE_PLACES)));
}

function decimalOf(scaled: bigint): string {
  const sign = scaled < 0n ? '-' : '';
  const magnitude = scaled < 0n ? -scaled : scaled;
  return `${sign}${magnitude / SHARE_SCALE}.${(magnitude % SHARE_SCALE).toString().padStart(Number(SHARE_PLACES), '0')}`;
}
