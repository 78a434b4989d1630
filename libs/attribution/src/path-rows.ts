import { NO_TOUCH } from './credits';
import { invalidInput, nonNegativeNumber } from './errors';
import type { JourneyTouch } from './journey';

/**
 * `count` journeys that went through the same values in the same order: the unit the
 * data-driven models learn from, and a row of the data teams' paths file.
 */
export interface PathRow {
  readonly path: readonly string[];
  readonly conversions: number;
  /** Value of those conversions together, in the unit of the source (minor units for ours). */
  readonly value: number;
  /** Journeys along this path that did not convert. */
  readonly nulls: number;
}

/** What a value stands for and what the data-driven models group touches by. */
export interface ValueCredit {
  readonly key: string;
  readonly conversions: number;
  readonly value: number;
}

export const dimensions = ['channel', 'campaign', 'source', 'medium', 'content'] as const;

export type Dimension = (typeof dimensions)[number];

/** The value of a touch that has no campaign, source, medium or content. */
export const NOT_SET = '(not set)';

export function dimensionValue(touch: JourneyTouch, dimension: Dimension): string {
  switch (dimension) {
    case 'channel':
      return touch.channel;
    case 'campaign':
      return touch.campaignId ?? NOT_SET;
    case 'source':
      return touch.source ?? NOT_SET;
    case 'medium':
      return touch.medium ?? NOT_SET;
    case 'content':
      return touch.content ?? NOT_SET;
    default: {
      const unknown: never = dimension;
      throw invalidInput('dimension', `must be one of ${dimensions.join(', ')} (got ${String(unknown)})`);
    }
  }
}

/** One journey's outcome, for learning: converted (with its value) or not. */
export interface PathOutcome {
  readonly touches: readonly JourneyTouch[];
  readonly converted: boolean;
  readonly value?: number;
}

/**
 * Outcomes grouped into path rows over a dimension. A journey without a touch becomes the
 * path `(none)`, as in the per-opportunity reports, so the totals still explain everything.
 */
export function pathRows(outcomes: readonly PathOutcome[], dimension: Dimension): PathRow[] {
  return canonicalRows(
    outcomes.map(({ touches, converted, value = 0 }) => ({
      path: touches.length === 0 ? [NO_TOUCH] : touches.map((touch) => dimensionValue(touch, dimension)),
      conversions: converted ? 1 : 0,
      value: converted ? value : 0,
      nulls: converted ? 0 : 1,
    })),
  );
}

// Joins a path into a map key; no dimension value holds a NUL.
const SEPARATOR = '\u0000';

/**
 * Rows checked, merged by path and sorted by path, so that the models read the same rows in
 * the same order however the caller ordered them: results never depend on input order.
 */
export function canonicalRows(rows: readonly PathRow[]): PathRow[] {
  if (!Array.isArray(rows)) throw invalidInput('rows', 'must be a list of path rows');
  const merged = new Map<string, { path: readonly string[]; conversions: number; value: number; nulls: number }>();
  rows.forEach((row, index) => {
    const field = `rows[${index}]`;
    checkPath(row?.path, `${field}.path`);
    const conversions = nonNegativeNumber(row.conversions, `${field}.conversions`);
    const value = nonNegativeNumber(row.value, `${field}.value`);
    const nulls = nonNegativeNumber(row.nulls, `${field}.nulls`);
    if (conversions === 0 && value > 0) throw invalidInput(`${field}.value`, 'must be 0 when there are no conversions');
    const key = row.path.join(SEPARATOR);
    const known = merged.get(key);
    if (known) {
      known.conversions += conversions;
      known.value += value;
      known.nulls += nulls;
    } else {
      merged.set(key, { path: row.path, conversions, value, nulls });
    }
  });
  return [...merged.keys()].sort().map((key) => merged.get(key) as PathRow);
}

function checkPath(path: unknown, field: string): void {
  if (!Array.isArray(path) || path.length === 0) throw invalidInput(field, 'must list at least one value');
  path.forEach((value, index) => {
    if (typeof value !== 'string' || value.trim() === '') throw invalidInput(`${field}[${index}]`, 'must be non-empty text');
  });
}

/** Values with their totals, largest conversions first, then by key. */
export function ranked<T extends ValueCredit>(rows: Iterable<T>): T[] {
  return [...rows].sort((a, b) => b.conversions - a.conversions || b.value - a.value || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export type CreditTotals = Map<string, { key: string; conversions: number; value: number }>;

/** Running totals for every value on the rows, at zero: a report lists each value, credited or not. */
export function zeroTotals(rows: readonly PathRow[]): CreditTotals {
  const totals: CreditTotals = new Map();
  for (const { path } of rows) {
    for (const key of path) if (!totals.has(key)) totals.set(key, { key, conversions: 0, value: 0 });
  }
  return totals;
}

export function addCredit(totals: CreditTotals, key: string, conversions: number, value: number): void {
  const known = totals.get(key) as { conversions: number; value: number };
  known.conversions += conversions;
  known.value += value;
}

export function totalsOf(rows: readonly PathRow[]): { totalConversions: number; totalValue: number } {
  let totalConversions = 0;
  let totalValue = 0;
  for (const row of rows) {
    totalConversions += row.conversions;
    totalValue += row.value;
  }
  return { totalConversions, totalValue };
}
