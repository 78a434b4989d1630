import { invalidInput } from '../errors';
import { DAY_MS, type Journey } from '../journey';
import { gridWeights } from '../money';

export const DEFAULT_HALF_LIFE_DAYS = 7;

/**
 * 2^(−Δ/h) with Δ the touch's age at the anchor in fractional days. Ages are counted from
 * the youngest touch, which changes no share but keeps a long journey with a short
 * half-life from underflowing to all zeros.
 */
export function timeDecayWeights(journey: Journey, halfLifeDays = DEFAULT_HALF_LIFE_DAYS): bigint[] {
  if (typeof halfLifeDays !== 'number' || !Number.isFinite(halfLifeDays) || halfLifeDays <= 0) {
    throw invalidInput('halfLifeDays', 'must be a number of days greater than 0');
  }
  const { touches } = journey;
  if (touches.length === 0) return [];
  const youngestMs = touches[touches.length - 1].occurredAtMs;
  return gridWeights(touches.map(({ occurredAtMs }) => 2 ** (-(youngestMs - occurredAtMs) / DAY_MS / halfLifeDays)));
}
