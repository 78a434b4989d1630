import { invalidInput } from './errors';

/** An amount in the currency's minor unit (cents, yen): an integer, never a float. */
export function minorUnits(value: unknown, field: string): number {
  if (typeof value === 'bigint') {
    if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) throw invalidInput(field, 'must be an integer from 0 to 2^53 - 1 in minor units');
    return Number(value);
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidInput(field, 'must be an integer from 0 to 2^53 - 1 in minor units');
  }
  return value;
}

/**
 * Splits an amount by integer weights: each part is the floor of its exact share, and what
 * the floors leave (fewer minor units than there are parts) goes to the largest weight, the
 * earliest of equal ones, so the parts always add up to the amount.
 */
export function splitMinorUnits(amountMinor: number, weights: readonly bigint[]): number[] {
  const total = weights.reduce((sum, weight) => sum + weight, 0n);
  if (total <= 0n) throw new RangeError('splitMinorUnits needs at least one positive weight');
  const amount = BigInt(amountMinor);
  let largest = 0;
  let allotted = 0n;
  const parts = weights.map((weight, index) => {
    if (weight > weights[largest]) largest = index;
    const part = (amount * weight) / total;
    allotted += part;
    return Number(part);
  });
  parts[largest] += Number(amount - allotted);
  return parts;
}

// Beyond this size Number() of a bigint is Infinity; both sides are shifted down first.
const FLOAT_SAFE_BITS = 1000;

/** Each `weight / total` as a float, for display and for sums checked within 1e-12. */
export function sharesOf(weights: readonly bigint[], total: bigint): number[] {
  const shift = BigInt(Math.max(0, total.toString(16).length * 4 - FLOAT_SAFE_BITS));
  const denominator = Number(total >> shift);
  return weights.map((weight) => Number(weight >> shift) / denominator);
}

// 2^52: a weight on this grid is an exact integer in a double, and a grid step changes a
// credit by at most amount / 2^52, under a thousandth of a minor unit for any safe amount.
const GRID = 2 ** 52;

/**
 * Non-negative float weights (a decay factor, a removal effect) as integers on a grid
 * relative to the largest, so that shares can be split exactly. All zero weights count
 * as equal: a journey still explains its amount when the model sees nothing to tell
 * its touches apart.
 */
export function gridWeights(weights: readonly number[]): bigint[] {
  const largest = weights.reduce((max, weight) => Math.max(max, weight), 0);
  if (largest === 0) return weights.map(() => 1n);
  return weights.map((weight) => BigInt(Math.round((weight / largest) * GRID)));
}
