import { invalidInput, nonNegativeNumber, optionalText, requiredText } from './errors';
import { minorUnits } from './money';

export const bases = ['PIPELINE', 'REVENUE'] as const;

/** PIPELINE credits the amount at opening, anchored at opening; REVENUE the won amount, anchored at the win. */
export type Basis = (typeof bases)[number];

/** One recorded touch of a contact on the opportunity, of their stitched anonymous history, or of its account. */
export interface Touch {
  readonly touchpointId: string;
  /** UTC ISO-8601. */
  readonly occurredAt: string;
  /** Event-store commit position (bigint or its decimal string): orders touches that share an instant. */
  readonly position: bigint | string;
  readonly kind: string;
  readonly channel: string;
  readonly campaignId?: string | null;
  readonly source?: string | null;
  readonly medium?: string | null;
  readonly content?: string | null;
  /** False for what the person did not act on (an email sent, an ad shown): never eligible. */
  readonly interaction: boolean;
}

export interface OpportunityFacts {
  readonly openedAt: string;
  readonly closedWonAt?: string | null;
  /** When the oldest contact on the opportunity became a lead. */
  readonly leadCreatedAt?: string | null;
  /** The basis's amount: at opening for PIPELINE, the won amount for REVENUE. */
  readonly amountMinor: number | bigint;
  readonly currency: string;
}

export interface JourneyQuery {
  readonly basis: Basis;
  /** Default 365. */
  readonly lookbackDays?: number;
  /** Only touches of these kinds are eligible (all interactions when absent). */
  readonly kinds?: readonly string[];
  /** Only touches in these channels are eligible (all when absent). */
  readonly channels?: readonly string[];
}

export interface JourneyTouch {
  readonly touchpointId: string;
  readonly occurredAt: string;
  readonly occurredAtMs: number;
  readonly position: bigint;
  readonly kind: string;
  readonly channel: string;
  readonly campaignId: string | null;
  readonly source: string | null;
  readonly medium: string | null;
  readonly content: string | null;
}

export const milestones = ['FT', 'LC', 'OC', 'CW', 'last'] as const;

export type Milestone = (typeof milestones)[number];

/** Index in the journey of the touch holding each milestone; an absent milestone has none. */
export type Milestones = Partial<Record<Milestone, number>>;

export interface Journey {
  readonly basis: Basis;
  readonly anchor: string;
  readonly anchorMs: number;
  readonly amountMinor: number;
  readonly currency: string;
  /** Eligible touches, by occurredAt, then position. */
  readonly touches: readonly JourneyTouch[];
  readonly milestones: Milestones;
}

export const DEFAULT_LOOKBACK_DAYS = 365;

export const DAY_MS = 86_400_000;

/** The eligible, ordered touches of one opportunity on one basis, with its milestone touches. */
export function buildJourney(touches: readonly Touch[], opportunity: OpportunityFacts, query: JourneyQuery): Journey {
  if (!bases.includes(query.basis)) throw invalidInput('basis', `must be one of ${bases.join(', ')}`);
  const openedAtMs = utcMillis(opportunity.openedAt, 'openedAt');
  const closedWonAtMs = optionalUtcMillis(opportunity.closedWonAt, 'closedWonAt');
  const leadCreatedAtMs = optionalUtcMillis(opportunity.leadCreatedAt, 'leadCreatedAt');
  if (closedWonAtMs !== null && closedWonAtMs < openedAtMs) throw invalidInput('closedWonAt', 'must not be before openedAt');
  if (query.basis === 'REVENUE' && closedWonAtMs === null) {
    throw invalidInput('closedWonAt', 'is required on the REVENUE basis: only won deals earn revenue credit');
  }
  const anchorMs = query.basis === 'REVENUE' ? (closedWonAtMs as number) : openedAtMs;
  const lookbackDays = nonNegativeNumber(query.lookbackDays ?? DEFAULT_LOOKBACK_DAYS, 'lookbackDays');
  const earliestMs = anchorMs - lookbackDays * DAY_MS;
  const kinds = optionalSet(query.kinds, 'kinds');
  const channels = optionalSet(query.channels, 'channels');
  if (!Array.isArray(touches)) throw invalidInput('touches', 'must be a list');

  const eligible: JourneyTouch[] = [];
  touches.forEach((touch, index) => {
    const valid = journeyTouch(touch, `touches[${index}]`);
    const inWindow = valid.occurredAtMs >= earliestMs && valid.occurredAtMs <= anchorMs;
    if (touch.interaction && inWindow && (kinds?.has(valid.kind) ?? true) && (channels?.has(valid.channel) ?? true)) {
      eligible.push(valid);
    }
  });
  eligible.sort(inJourneyOrder);
  // A touch reached twice (through a contact and through its account) is still one touch.
  const seen = new Set<string>();
  const journey = eligible.filter(({ touchpointId }) => !seen.has(touchpointId) && seen.add(touchpointId));

  const found: Milestones = {};
  if (journey.length > 0) {
    found.FT = 0;
    found.last = journey.length - 1;
    found.LC = leadCreatedAtMs === null ? undefined : lastAtOrBefore(journey, leadCreatedAtMs);
    found.OC = lastAtOrBefore(journey, openedAtMs);
    // On the pipeline basis the deal is not won yet at the anchor, so there is no closed-won touch.
    found.CW = query.basis === 'REVENUE' ? lastAtOrBefore(journey, anchorMs) : undefined;
  }
  return {
    basis: query.basis,
    anchor: new Date(anchorMs).toISOString(),
    anchorMs,
    amountMinor: minorUnits(opportunity.amountMinor, 'amountMinor'),
    currency: currencyCode(opportunity.currency),
    touches: journey,
    milestones: found,
  };
}

/** The milestones a touch holds, in the order of `milestones`. */
export function milestonesOf(index: number, held: Milestones): Milestone[] {
  return milestones.filter((milestone) => held[milestone] === index);
}

function inJourneyOrder(a: JourneyTouch, b: JourneyTouch): number {
  if (a.occurredAtMs !== b.occurredAtMs) return a.occurredAtMs - b.occurredAtMs;
  if (a.position !== b.position) return a.position < b.position ? -1 : 1;
  return a.touchpointId < b.touchpointId ? -1 : a.touchpointId > b.touchpointId ? 1 : 0;
}

function lastAtOrBefore(journey: readonly JourneyTouch[], ms: number): number | undefined {
  for (let index = journey.length - 1; index >= 0; index--) {
    if (journey[index].occurredAtMs <= ms) return index;
  }
  return undefined;
}

function journeyTouch(touch: Touch, field: string): JourneyTouch {
  if (typeof touch !== 'object' || touch === null) throw invalidInput(field, 'must be a touch object');
  if (typeof touch.interaction !== 'boolean') throw invalidInput(`${field}.interaction`, 'must be true or false');
  return {
    touchpointId: requiredText(touch.touchpointId, `${field}.touchpointId`),
    occurredAt: touch.occurredAt,
    occurredAtMs: utcMillis(touch.occurredAt, `${field}.occurredAt`),
    position: commitPosition(touch.position, `${field}.position`),
    kind: requiredText(touch.kind, `${field}.kind`),
    channel: requiredText(touch.channel, `${field}.channel`),
    campaignId: optionalText(touch.campaignId, `${field}.campaignId`),
    source: optionalText(touch.source, `${field}.source`),
    medium: optionalText(touch.medium, `${field}.medium`),
    content: optionalText(touch.content, `${field}.content`),
  };
}

// Ranges in the pattern keep Date.parse from rolling 24:00 or :60 over into the next unit.
const UTC_TIMESTAMP = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?(Z|[+-]00:00)$/;

function utcMillis(value: unknown, field: string): number {
  if (typeof value === 'string' && UTC_TIMESTAMP.test(value)) {
    const ms = Date.parse(value);
    const day = Number(value.slice(8, 10));
    // Date.parse also rolls 2024-02-30 over into March: a day past the 28th must come back as itself.
    if (day <= 28 || new Date(ms).getUTCDate() === day) return ms;
  }
  throw invalidInput(field, 'must be an ISO-8601 UTC timestamp such as 2024-03-01T09:30:00Z');
}

function optionalUtcMillis(value: unknown, field: string): number | null {
  return value === undefined || value === null ? null : utcMillis(value, field);
}

function commitPosition(value: unknown, field: string): bigint {
  if (typeof value === 'bigint' && value >= 0n) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  throw invalidInput(field, 'must be a commit position: a non-negative bigint or its decimal string');
}

function optionalSet(values: readonly string[] | undefined, field: string): ReadonlySet<string> | null {
  if (values === undefined) return null;
  if (!Array.isArray(values) || values.some((value) => typeof value !== 'string')) throw invalidInput(field, 'must be a list of text values');
  return new Set(values);
}

// The runtime's ICU list is the reference, so no hand-kept copy drifts from ISO 4217.
const isoCurrencies: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

function currencyCode(value: unknown): string {
  if (typeof value !== 'string' || !isoCurrencies.has(value)) throw invalidInput('currency', 'must be an upper-case ISO 4217 currency code such as EUR');
  return value;
}
