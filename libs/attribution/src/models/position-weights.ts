import { AttributionError } from '../errors';
import { milestones, type Milestone, type Milestones } from '../journey';

export const positions = [...milestones, 'middle'] as const;

/** A milestone, or `middle`: every touch that holds none of the milestones the model weighs. */
export type Position = Milestone | 'middle';

/** Percentages over positions, summing to 100; a position left out weighs 0. */
export type PositionWeights = Partial<Record<Position, number>>;

/** Weights as integers over one power of ten (22.5 % and 30 % become 225 and 300), so sums are exact. */
export type ScaledWeights = Readonly<Record<Position, number>>;

// More decimals than this are noise in a percentage, and six keep every product safe.
const MAX_DECIMALS = 6;

/**
 * Checks caller-given weights: known positions, each 0 to 100 with at most six decimals,
 * summing to exactly 100, and FT or last above 0 (both are present in every journey that
 * has a touch, so there is always a position to credit).
 */
export function scaledWeights(weights: PositionWeights, field = 'weights'): ScaledWeights {
  if (typeof weights !== 'object' || weights === null) throw invalidWeights(field, 'must be an object of percentages by position');
  for (const key of Object.keys(weights)) {
    if (!(positions as readonly string[]).includes(key)) throw invalidWeights(`${field}.${key}`, `is not a position: use ${positions.join(', ')}`);
  }
  const decimals = positions.map((position) => {
    const weight = weights[position] ?? 0;
    const text = String(weight);
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0 || weight > 100 || /e/i.test(text) || (text.split('.')[1] ?? '').length > MAX_DECIMALS) {
      throw invalidWeights(`${field}.${position}`, `must be a percentage from 0 to 100 with at most ${MAX_DECIMALS} decimals`);
    }
    return (text.split('.')[1] ?? '').length;
  });
  const unit = 10 ** Math.max(...decimals);
  const scaled = Object.fromEntries(positions.map((position) => [position, Math.round((weights[position] ?? 0) * unit)])) as Record<Position, number>;
  const total = positions.reduce((sum, position) => sum + scaled[position], 0);
  if (total !== 100 * unit) throw invalidWeights(field, `must sum to 100 (they sum to ${total / unit})`);
  if (scaled.FT === 0 && scaled.last === 0) {
    throw invalidWeights(field, 'must give FT or last more than 0, so that every journey with a touch has a position to credit');
  }
  return scaled;
}

export interface PositionalWeights {
  /** Each touch's weight; the sum is the common denominator of the shares. */
  readonly weights: bigint[];
  /** Whether each touch takes part of the middle weight. */
  readonly middle: boolean[];
}

/**
 * Each touch's weight is what its milestones weigh plus, for a middle touch, an equal part
 * of the middle weight. A milestone no touch holds and an empty middle simply add nothing,
 * which is the same as sharing their weight out among the present positions in proportion
 * to their weights. Everything is scaled by the size of the middle to stay in integers.
 */
export function positionalWeights(touchCount: number, held: Milestones, weights: ScaledWeights): PositionalWeights {
  const holdsWeighed = new Array<boolean>(touchCount).fill(false);
  for (const milestone of milestones) {
    const index = held[milestone];
    if (index !== undefined && weights[milestone] > 0) holdsWeighed[index] = true;
  }
  const middle = holdsWeighed.map((weighed) => !weighed && weights.middle > 0);
  const middleSize = Math.max(1, middle.filter(Boolean).length);
  const touchWeights = middle.map((inMiddle) => (inMiddle ? weights.middle : 0));
  for (const milestone of milestones) {
    const index = held[milestone];
    if (index !== undefined) touchWeights[index] += weights[milestone] * middleSize;
  }
  return { weights: touchWeights.map((weight) => BigInt(weight)), middle };
}

function invalidWeights(field: string, rule: string): AttributionError {
  return new AttributionError('INVALID_WEIGHTS', `${field} ${rule}`, field);
}
