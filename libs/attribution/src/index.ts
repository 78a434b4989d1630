export { AttributionError, attributionErrorCodes, type AttributionErrorCode } from './errors';
export {
  bases,
  buildJourney,
  DEFAULT_LOOKBACK_DAYS,
  milestones,
  type Basis,
  type Journey,
  type JourneyQuery,
  type JourneyTouch,
  type Milestone,
  type Milestones,
  type OpportunityFacts,
  type Touch,
} from './journey';
export { minorUnits, splitMinorUnits } from './money';
export { NO_TOUCH, type Attribution, type Credit } from './credits';
export { positions, scaledWeights, type Position, type PositionWeights } from './models/position-weights';
export { DEFAULT_HALF_LIFE_DAYS } from './models/time-decay';
export { attribute, presetWeights, ruleBasedModels, type PositionalModelName, type RuleBasedModel, type RuleBasedModelName } from './models/rule-based';
export { canonicalRows, dimensions, dimensionValue, NOT_SET, pathRows, type Dimension, type PathOutcome, type PathRow, type ValueCredit } from './path-rows';
export { attributeByRemovalEffect, markovAttribution, removalEffects, type MarkovOptions, type MarkovResult, type MarkovRow } from './markov';
export { attributeByShapley, shapleyAttribution, type ShapleyResult } from './shapley';
export { attributePaths, pathModels, type PathAttribution, type PathModel, type PathModelName } from './path-models';
export { formatPathsFile, parsePathsFile, PATHS_HEADER } from './paths-file';
