import type { Basis, Journey } from './journey';
import { milestonesOf } from './journey';
import { sharesOf, splitMinorUnits } from './money';
import type { Position } from './models/position-weights';

/** The key that takes an opportunity's whole amount when no eligible touch explains it. */
export const NO_TOUCH = '(none)';

export interface Credit {
  /** The touchpointId, or `(none)`. */
  readonly key: string;
  /** The milestones the touch holds, and `middle` when the model credits it as a middle touch. */
  readonly positions: readonly Position[];
  /** The share as a float; one journey's shares sum to 1 within 1e-12. */
  readonly share: number;
  /** The share exactly; every credit of one journey has the same denominator, and the numerators sum to it. */
  readonly exactShare: { readonly numerator: bigint; readonly denominator: bigint };
  /** The share of the amount in minor units; one journey's credits sum exactly to its amount. */
  readonly creditMinor: number;
}

export interface Attribution {
  readonly model: string;
  readonly basis: Basis;
  readonly anchor: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly credits: readonly Credit[];
}

/** Shares and money from one integer weight per touch of the journey. */
export function creditJourney(journey: Journey, model: string, weights: readonly bigint[], middle?: readonly boolean[]): Attribution {
  const { basis, anchor, amountMinor, currency } = journey;
  if (journey.touches.length === 0) {
    const whole = { key: NO_TOUCH, positions: [], share: 1, exactShare: { numerator: 1n, denominator: 1n }, creditMinor: amountMinor };
    return { model, basis, anchor, amountMinor, currency, credits: [whole] };
  }
  const denominator = weights.reduce((sum, weight) => sum + weight, 0n);
  const shares = sharesOf(weights, denominator);
  const money = splitMinorUnits(amountMinor, weights);
  const credits = journey.touches.map((touch, index): Credit => {
    const held: Position[] = milestonesOf(index, journey.milestones);
    if (middle?.[index]) held.push('middle');
    return {
      key: touch.touchpointId,
      positions: held,
      share: shares[index],
      exactShare: { numerator: weights[index], denominator },
      creditMinor: money[index],
    };
  });
  return { model, basis, anchor, amountMinor, currency, credits };
}
