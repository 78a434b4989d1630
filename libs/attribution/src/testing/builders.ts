import { buildJourney, DAY_MS, type Journey, type JourneyQuery, type OpportunityFacts, type Touch } from '../journey';
import type { PathRow } from '../path-rows';

/** The anchor of most examples: the opportunity opened (pipeline) or was won (revenue) here. */
export const ANCHOR = '2024-03-31T12:00:00.000Z';

export function daysBefore(days: number, from = ANCHOR): string {
  return new Date(Date.parse(from) - days * DAY_MS).toISOString();
}

let sequence = 0;

/** A web visit in the paid-search channel one day before the anchor, unless overridden. */
export function touch(overrides: Partial<Touch> = {}): Touch {
  sequence += 1;
  return {
    touchpointId: `tp-${sequence}`,
    occurredAt: daysBefore(1),
    position: String(1_000 + sequence),
    kind: 'WEB_VISIT',
    channel: 'paid_search',
    interaction: true,
    ...overrides,
  };
}

/** Touches named t1, t2, … at the given ages in days, oldest first when the ages fall. */
export function touchesAt(ages: readonly number[], overrides: Partial<Touch> = {}): Touch[] {
  return ages.map((age, index) => touch({ touchpointId: `t${index + 1}`, occurredAt: daysBefore(age), position: String(index + 1), ...overrides }));
}

export function opportunity(overrides: Partial<OpportunityFacts> = {}): OpportunityFacts {
  return { openedAt: ANCHOR, amountMinor: 1_000_00, currency: 'EUR', ...overrides };
}

export function journeyOf(touches: readonly Touch[], facts: Partial<OpportunityFacts> = {}, query: Partial<JourneyQuery> = {}): Journey {
  return buildJourney(touches, opportunity(facts), { basis: 'PIPELINE', ...query });
}

/** Matches the AttributionError a refusal throws, by code, field and anything else given. */
export function refusal(expected: { code?: string; field?: string; message?: string | RegExp; line?: number }) {
  const { message, ...rest } = expected;
  return expect.objectContaining({
    name: 'AttributionError',
    ...rest,
    ...(message === undefined ? {} : { message: typeof message === 'string' ? message : expect.stringMatching(message) }),
  });
}

/** `pathRow('c1>c2', { conversions: 1, value: 10 })`: journeys along one path, none of them converting unless told. */
export function pathRow(path: string, counts: Partial<Omit<PathRow, 'path'>> = {}): PathRow {
  return { path: path.split('>'), conversions: 0, value: 0, nulls: 0, ...counts };
}

/** The hand check of shared/attribution-models.md. */
export function handCheckRows(): PathRow[] {
  return [pathRow('c1>c2>c3', { conversions: 1, value: 10 }), pathRow('c1', { nulls: 1 }), pathRow('c2>c3', { nulls: 1 })];
}

/** Rows by key with every number rounded to 12 decimals, so exact expectations read plainly. */
export function byKey<T extends { key: string }>(rows: readonly T[]): Record<string, Omit<T, 'key'>> {
  return Object.fromEntries(
    rows.map(({ key, ...numbers }) => [key, Object.fromEntries(Object.entries(numbers).map(([name, value]) => [name, typeof value === 'number' ? Number(value.toFixed(12)) : value]))]),
  ) as Record<string, Omit<T, 'key'>>;
}
