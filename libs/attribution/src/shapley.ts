import { creditJourney, type Attribution } from './credits';
import type { Journey } from './journey';
import { addCredit, canonicalRows, dimensionValue, ranked, totalsOf, zeroTotals, type Dimension, type PathRow, type ValueCredit } from './path-rows';

export interface ShapleyResult {
  readonly totalConversions: number;
  readonly totalValue: number;
  readonly rows: readonly ValueCredit[];
}

/**
 * Shapley values of the game whose worth of a set of values is what the converting journeys
 * made entirely of that set are worth. In that game each journey's worth is shared equally
 * by the distinct values it holds, which is the closed form computed here, in one pass.
 */
export function shapleyAttribution(rows: readonly PathRow[]): ShapleyResult {
  const canonical = canonicalRows(rows);
  const totals = zeroTotals(canonical);
  for (const row of canonical) {
    if (row.conversions === 0) continue;
    const players = new Set(row.path);
    for (const player of players) addCredit(totals, player, row.conversions / players.size, row.value / players.size);
  }
  return { ...totalsOf(canonical), rows: ranked(totals.values()) };
}

/**
 * One opportunity's credits: the Shapley value of its own journey, an equal part for each
 * distinct value, shared equally by the touches holding that value. Summed over converting
 * opportunities this gives `shapleyAttribution` of their paths.
 */
export function attributeByShapley(journey: Journey, dimension: Dimension): Attribution {
  const values = journey.touches.map((touch) => dimensionValue(touch, dimension));
  const touchesOf = new Map<string, number>();
  for (const value of values) touchesOf.set(value, (touchesOf.get(value) ?? 0) + 1);
  // Weight 1/count per touch, scaled by the least common multiple of the counts to stay exact.
  const multiple = [...touchesOf.values()].reduce((lcm, count) => (lcm * BigInt(count)) / gcd(lcm, BigInt(count)), 1n);
  return creditJourney(journey, 'SHAPLEY', values.map((value) => multiple / BigInt(touchesOf.get(value) as number)));
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
