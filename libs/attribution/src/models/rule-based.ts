import { creditJourney, type Attribution } from '../credits';
import { AttributionError } from '../errors';
import type { Journey } from '../journey';
import { lastNonDirectWeights } from './last-non-direct';
import { positionalWeights, scaledWeights, type PositionWeights, type ScaledWeights } from './position-weights';
import { timeDecayWeights } from './time-decay';

export const ruleBasedModels = [
  'FIRST_TOUCH',
  'LAST_TOUCH',
  'LAST_NON_DIRECT',
  'LINEAR',
  'TIME_DECAY',
  'POSITION_BASED',
  'U_SHAPED',
  'W_SHAPED',
  'FULL_PATH',
  'J_SHAPED',
  'INVERSE_J',
  'CUSTOM',
] as const;

export type RuleBasedModelName = (typeof ruleBasedModels)[number];

export type PositionalModelName = 'FIRST_TOUCH' | 'LAST_TOUCH' | 'POSITION_BASED' | 'U_SHAPED' | 'W_SHAPED' | 'FULL_PATH' | 'J_SHAPED' | 'INVERSE_J';

export type RuleBasedModel =
  | { readonly name: PositionalModelName | 'LAST_NON_DIRECT' | 'LINEAR' }
  | { readonly name: 'TIME_DECAY'; readonly halfLifeDays?: number }
  | { readonly name: 'CUSTOM'; readonly weights: PositionWeights };

/** The weights of shared/attribution-models.md, in %. */
export const presetWeights: Readonly<Record<PositionalModelName, PositionWeights>> = {
  FIRST_TOUCH: { FT: 100 },
  LAST_TOUCH: { last: 100 },
  POSITION_BASED: { FT: 40, last: 40, middle: 20 },
  U_SHAPED: { FT: 40, LC: 40, middle: 20 },
  W_SHAPED: { FT: 30, LC: 30, OC: 30, middle: 10 },
  FULL_PATH: { FT: 22.5, LC: 22.5, OC: 22.5, CW: 22.5, middle: 10 },
  J_SHAPED: { FT: 20, last: 60, middle: 20 },
  INVERSE_J: { FT: 60, last: 20, middle: 20 },
};

export const scaledPresets = Object.fromEntries(
  Object.entries(presetWeights).map(([name, weights]) => [name, scaledWeights(weights, name)]),
) as Readonly<Record<PositionalModelName, ScaledWeights>>;

/** One opportunity's credits under a rule-based model. */
export function attribute(journey: Journey, model: RuleBasedModel): Attribution {
  switch (model.name) {
    case 'LINEAR':
      return creditJourney(journey, model.name, journey.touches.map(() => 1n));
    case 'LAST_NON_DIRECT':
      return creditJourney(journey, model.name, lastNonDirectWeights(journey.touches));
    case 'TIME_DECAY':
      return creditJourney(journey, model.name, timeDecayWeights(journey, model.halfLifeDays));
    case 'CUSTOM':
      return positional(journey, model.name, scaledWeights(model.weights));
    case 'FIRST_TOUCH':
    case 'LAST_TOUCH':
    case 'POSITION_BASED':
    case 'U_SHAPED':
    case 'W_SHAPED':
    case 'FULL_PATH':
    case 'J_SHAPED':
    case 'INVERSE_J':
      return positional(journey, model.name, scaledPresets[model.name]);
    default: {
      const unknown: never = model;
      throw new AttributionError('UNSUPPORTED_MODEL', `model ${(unknown as { name: string }).name} is not one of ${ruleBasedModels.join(', ')}`, 'model');
    }
  }
}

function positional(journey: Journey, model: RuleBasedModelName, weights: ScaledWeights): Attribution {
  const { weights: touchWeights, middle } = positionalWeights(journey.touches.length, journey.milestones, weights);
  return creditJourney(journey, model, touchWeights, middle);
}
