import {
  DEFAULT_HALF_LIFE_DAYS,
  DEFAULT_LOOKBACK_DAYS,
  scaledWeights,
  type Basis,
  type Dimension,
  type PositionWeights,
  type RuleBasedModel,
  type RuleBasedModelName,
} from '@revops/attribution';
import type { Position } from '@revops/event-store';
import { storedModels } from '@revops/projections';
import { InputValidationError } from '../../common/validation/input-validation.error';
import { reportPeriod, type ReportPeriod } from '../../leads/queries/report-period';

/** How credits are computed: a rule-based model and what it may take from a journey. */
export interface CreditRules {
  readonly model: RuleBasedModelName;
  readonly lookbackDays: number;
  /** TIME_DECAY only. */
  readonly halfLifeDays: number;
  /** CUSTOM only. */
  readonly customWeights: PositionWeights | null;
  /** Only touches of these kinds / channels are eligible; every interaction when null. */
  readonly kinds: readonly string[] | null;
  readonly channels: readonly string[] | null;
}

/** A rule-based report: which deals (anchored in the period, in one currency), how credited, grouped how. */
export interface AttributionRequest {
  readonly rules: CreditRules;
  readonly basis: Basis;
  readonly period: ReportPeriod;
  readonly currency: string;
  readonly groupBy: Dimension;
  readonly minPosition?: Position;
}

export interface CreditRulesInput {
  readonly model: RuleBasedModelName;
  readonly lookbackDays?: number | null;
  readonly halfLifeDays?: number | null;
  readonly customWeights?: PositionWeights | null;
  readonly kinds?: readonly string[] | null;
  readonly channels?: readonly string[] | null;
}

/** Checks what the engine cannot: weights given exactly when the model is CUSTOM, a half-life only for TIME_DECAY. */
export function creditRules(input: CreditRulesInput): CreditRules {
  if (input.model === 'CUSTOM' && !input.customWeights) {
    throw new InputValidationError([{ field: 'customWeights', message: 'customWeights are required when model is CUSTOM' }]);
  }
  if (input.model !== 'CUSTOM' && input.customWeights) {
    throw new InputValidationError([{ field: 'customWeights', message: 'customWeights apply only to the CUSTOM model' }]);
  }
  // Checked now, not per journey: a period without deals would otherwise accept any weights.
  if (input.customWeights) scaledWeights(input.customWeights, 'customWeights');
  if (input.model !== 'TIME_DECAY' && input.halfLifeDays != null) {
    throw new InputValidationError([{ field: 'halfLifeDays', message: 'halfLifeDays applies only to the TIME_DECAY model' }]);
  }
  return {
    model: input.model,
    lookbackDays: input.lookbackDays ?? DEFAULT_LOOKBACK_DAYS,
    halfLifeDays: input.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS,
    customWeights: input.customWeights ?? null,
    kinds: input.kinds?.length ? input.kinds : null,
    channels: input.channels?.length ? input.channels : null,
  };
}

export function attributionRequest(
  rules: CreditRulesInput,
  options: { basis: Basis; from: string; to: string; currency: string; groupBy: Dimension; minPosition?: Position },
): AttributionRequest {
  return {
    rules: creditRules(rules),
    basis: options.basis,
    period: reportPeriod(options.from, options.to),
    currency: options.currency,
    groupBy: options.groupBy,
    minPosition: options.minPosition,
  };
}

/** The engine's model for the rules. */
export function modelOf(rules: CreditRules): RuleBasedModel {
  switch (rules.model) {
    case 'TIME_DECAY':
      return { name: 'TIME_DECAY', halfLifeDays: rules.halfLifeDays };
    case 'CUSTOM':
      return { name: 'CUSTOM', weights: rules.customWeights as PositionWeights };
    default:
      return { name: rules.model };
  }
}

/**
 * Whether the projection keeps these credits: every model but CUSTOM, at the default lookback
 * and half-life, over every interaction. Anything else is computed when asked.
 */
export function isStored(rules: CreditRules): boolean {
  return (
    (storedModels as readonly string[]).includes(rules.model) &&
    rules.lookbackDays === DEFAULT_LOOKBACK_DAYS &&
    rules.halfLifeDays === DEFAULT_HALF_LIFE_DAYS &&
    rules.kinds === null &&
    rules.channels === null
  );
}
