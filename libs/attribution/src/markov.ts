import { AbsorptionSolver, type AbsorbingChain, type SolverOptions } from './absorbing-chain';
import { creditJourney, type Attribution } from './credits';
import { invalidInput } from './errors';
import type { Journey } from './journey';
import { gridWeights } from './money';
import { canonicalRows, dimensionValue, ranked, totalsOf, type Dimension, type PathRow, type ValueCredit } from './path-rows';

export interface MarkovOptions extends SolverOptions {
  /** How many consecutive values make a state: 1 (default), 2 or 3. */
  readonly order?: number;
  /** Learn from non-converting journeys too (default); false is `--no-nulls`. */
  readonly includeNulls?: boolean;
}

export interface MarkovRow extends ValueCredit {
  /** 1 − P(conversion with every state holding this value sent to null) / P(conversion). */
  readonly removalEffect: number;
  /** The same for the expected conversion value. */
  readonly valueRemovalEffect: number;
}

export interface MarkovResult {
  readonly order: number;
  readonly includeNulls: boolean;
  /** P(conversion) from `start` in the full chain. */
  readonly conversionProbability: number;
  readonly totalConversions: number;
  readonly totalValue: number;
  readonly rows: readonly MarkovRow[];
}

/**
 * Removal effects over all journeys, converting and not, computed exactly on the absorbing
 * chain: conversions and value are shared out in proportion to them.
 */
export function markovAttribution(rows: readonly PathRow[], options: MarkovOptions = {}): MarkovResult {
  const order = options.order ?? 1;
  if (!Number.isInteger(order) || order < 1 || order > 3) throw invalidInput('order', 'must be 1, 2 or 3');
  const includeNulls = options.includeNulls ?? true;
  const canonical = canonicalRows(rows);
  const { totalConversions, totalValue } = totalsOf(canonical);
  const { chain, values, statesOf } = markovChain(canonical, order, includeNulls);
  const solver = new AbsorptionSolver(chain, options);
  const full = solver.solve();

  const effects = values.map((key, valueId) => {
    const removed = new Uint8Array(chain.stateCount);
    for (const state of statesOf[valueId]) removed[state] = 1;
    const without = solver.solve(removed);
    return { key, removalEffect: removalEffect(full.conversion, without.conversion), valueRemovalEffect: removalEffect(full.value, without.value) };
  });
  const sumEffects = effects.reduce((sum, { removalEffect }) => sum + removalEffect, 0);
  const sumValueEffects = effects.reduce((sum, { valueRemovalEffect }) => sum + valueRemovalEffect, 0);
  return {
    order,
    includeNulls,
    conversionProbability: full.conversion,
    totalConversions,
    totalValue,
    rows: ranked(
      effects.map((effect) => ({
        ...effect,
        conversions: sumEffects > 0 ? (totalConversions * effect.removalEffect) / sumEffects : 0,
        value: sumValueEffects > 0 ? (totalValue * effect.valueRemovalEffect) / sumValueEffects : 0,
      })),
    ),
  };
}

/** Removal effects by value, for per-opportunity credit. */
export function removalEffects(result: MarkovResult): ReadonlyMap<string, number> {
  return new Map(result.rows.map(({ key, removalEffect }) => [key, removalEffect]));
}

/**
 * One opportunity's credits: each touch's share in proportion to the removal effect of its
 * value over the dimension (a value the model never saw has none). When no touch has any,
 * the touches share equally, so the amount is still explained.
 */
export function attributeByRemovalEffect(journey: Journey, dimension: Dimension, effects: ReadonlyMap<string, number>): Attribution {
  const weights = gridWeights(journey.touches.map((touch) => effects.get(dimensionValue(touch, dimension)) ?? 0));
  return creditJourney(journey, 'MARKOV', weights);
}

function removalEffect(full: number, without: number): number {
  // Sending states to null can only lose conversions; a rounding-sized gain is no effect.
  return full > 0 ? Math.max(0, 1 - without / full) : 0;
}

interface MarkovChain {
  readonly chain: AbsorbingChain;
  readonly values: readonly string[];
  /** For each value, the states whose window holds it. */
  readonly statesOf: readonly number[][];
}

/**
 * States are `start` (0) and windows of `order` consecutive values, a path shorter than the
 * order being one window of its own. Repeats of a value are collapsed before windows are
 * cut, so no state follows itself. Every row counts as many times as it has journeys; a
 * conversion from a state is worth the mean value of the conversions that ended there.
 */
function markovChain(rows: readonly PathRow[], order: number, includeNulls: boolean): MarkovChain {
  const values: string[] = [];
  const valueIds = new Map<string, number>();
  const stateIds = new Map<string, number>([['', 0]]);
  const statesOf: number[][] = [];
  const transitions: Map<number, number>[] = [new Map()];
  const conversions: number[] = [0];
  const nulls: number[] = [0];
  const worth: number[] = [0];

  const valueId = (value: string): number => {
    let id = valueIds.get(value);
    if (id === undefined) {
      id = values.push(value) - 1;
      valueIds.set(value, id);
      statesOf.push([]);
    }
    return id;
  };
  const stateId = (window: readonly number[]): number => {
    const key = window.join(',');
    let id = stateIds.get(key);
    if (id === undefined) {
      id = transitions.push(new Map()) - 1;
      stateIds.set(key, id);
      conversions.push(0);
      nulls.push(0);
      worth.push(0);
      for (const value of new Set(window)) statesOf[value].push(id);
    }
    return id;
  };

  for (const row of rows) {
    // Every value gets an id, so that one seen only on journeys left out still has its row.
    const collapsed: number[] = [];
    for (const value of row.path) {
      const id = valueId(value);
      if (collapsed[collapsed.length - 1] !== id) collapsed.push(id);
    }
    const failed = includeNulls ? row.nulls : 0;
    const journeys = row.conversions + failed;
    if (journeys === 0) continue;
    const windowCount = Math.max(1, collapsed.length - order + 1);
    let from = 0;
    for (let start = 0; start < windowCount; start++) {
      const to = stateId(collapsed.slice(start, start + order));
      transitions[from].set(to, (transitions[from].get(to) ?? 0) + journeys);
      from = to;
    }
    conversions[from] += row.conversions;
    nulls[from] += failed;
    worth[from] += row.value;
  }

  const stateCount = transitions.length;
  const rowStart = new Int32Array(stateCount + 1);
  transitions.forEach((out, state) => (rowStart[state + 1] = rowStart[state] + out.size));
  const edgeTarget = new Int32Array(rowStart[stateCount]);
  const edgeProbability = new Float64Array(rowStart[stateCount]);
  const conversion = new Float64Array(stateCount);
  const conversionValue = new Float64Array(stateCount);
  transitions.forEach((out, state) => {
    let leaving = conversions[state] + nulls[state];
    for (const count of out.values()) leaving += count;
    // Only `start` can have no journey leaving it, when no row has any: it then stays at zero.
    const probability = (count: number) => (leaving > 0 ? count / leaving : 0);
    let edge = rowStart[state];
    for (const target of [...out.keys()].sort((a, b) => a - b)) {
      edgeTarget[edge] = target;
      edgeProbability[edge++] = probability(out.get(target) as number);
    }
    conversion[state] = probability(conversions[state]);
    // p(→ conversion) × mean value of a conversion from here = value ended here / journeys leaving.
    conversionValue[state] = probability(worth[state]);
  });
  return { chain: { stateCount, rowStart, edgeTarget, edgeProbability, conversion, conversionValue }, values, statesOf };
}
