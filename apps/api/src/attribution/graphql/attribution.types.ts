import { ArgsType, Field, Float, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { bases, dimensions, ruleBasedModels, type Basis, type Dimension, type RuleBasedModelName } from '@revops/attribution';
import { graphqlEnum } from '../../common/graphql/graphql-enum';
import { ReadArgs } from '../../common/read-side/position.input';
import { IsCurrencyCode, IsEntityId, IsUtcTimestamp } from '../../common/validation/domain-rules';
import { SafeIntScalar } from '../../graphql/safe-int.scalar';
import type * as report from '../queries/attribution-report';

export const AttributionModelEnum = graphqlEnum('AttributionModel', ruleBasedModels, 'A rule-based attribution model, as shared/attribution-models.md defines it');
export const AttributionBasisEnum = graphqlEnum('AttributionBasis', bases, 'PIPELINE: anchored at opening, the amount at opening; REVENUE: anchored at the win, the won amount');
export const AttributionDimensionEnum = graphqlEnum('AttributionDimension', dimensions, 'The touch field reports group by: channel, campaign, or UTM source, medium or content');

/** The longest lookback a report may ask for: ten years of history. */
export const MAX_LOOKBACK_DAYS = 3650;

@InputType({ description: 'CUSTOM position weights in %, summing to 100; a position left out weighs 0' })
export class CustomWeightsInput {
  @Field(() => Float, { nullable: true, description: 'First touch' })
  @IsOptional()
  @IsNumber()
  FT?: number;

  @Field(() => Float, { nullable: true, description: 'Lead creation touch' })
  @IsOptional()
  @IsNumber()
  LC?: number;

  @Field(() => Float, { nullable: true, description: 'Opportunity creation touch' })
  @IsOptional()
  @IsNumber()
  OC?: number;

  @Field(() => Float, { nullable: true, description: 'Closed-won touch' })
  @IsOptional()
  @IsNumber()
  CW?: number;

  @Field(() => Float, { nullable: true, description: 'Last touch' })
  @IsOptional()
  @IsNumber()
  last?: number;

  @Field(() => Float, { nullable: true, description: 'Every other touch, split equally' })
  @IsOptional()
  @IsNumber()
  middle?: number;
}

@InputType({ description: 'Narrows which touches are eligible; every interaction when left out' })
export class AttributionFilterInput {
  @Field(() => [String], { nullable: true, description: 'Touch kinds, e.g. AD_CLICK, FORM_SUBMISSION' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  kinds?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Channels, e.g. paid_search, email' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  channels?: string[] | null;
}

/** How a rule-based model credits touches: shared by every report that takes a model. */
@ArgsType()
export abstract class CreditRulesArgs extends ReadArgs {
  @Field(() => Int, { defaultValue: 365, description: 'Days before the anchor a touch may lie; other than 365, computed on request' })
  @IsInt()
  @Min(0)
  @Max(MAX_LOOKBACK_DAYS)
  lookbackDays!: number;

  @Field(() => Float, { nullable: true, description: 'TIME_DECAY only: the half-life in days (default 7)' })
  @IsOptional()
  @IsNumber()
  @Min(0.001)
  @Max(MAX_LOOKBACK_DAYS)
  halfLifeDays?: number | null;

  @Field(() => CustomWeightsInput, { nullable: true, description: 'Required for CUSTOM, refused for any other model' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CustomWeightsInput)
  customWeights?: CustomWeightsInput | null;

  @Field(() => AttributionFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => AttributionFilterInput)
  filters?: AttributionFilterInput | null;

}

/** A period of anchors in one currency. */
@ArgsType()
export abstract class AttributionPeriodArgs extends CreditRulesArgs {
  @Field({ description: 'Start of the period of anchors, inclusive: ISO-8601 in UTC' })
  @IsUtcTimestamp()
  from!: string;

  @Field({ description: 'End of the period, exclusive: ISO-8601 in UTC, after from' })
  @IsUtcTimestamp()
  to!: string;

  @Field({ description: 'ISO 4217 code: deals, spend and amounts in this currency only (no conversion between currencies)' })
  @IsCurrencyCode()
  currency!: string;
}

@ArgsType()
export class AttributionArgs extends AttributionPeriodArgs {
  @Field(() => AttributionModelEnum)
  @IsIn(ruleBasedModels)
  model!: RuleBasedModelName;

  @Field(() => AttributionBasisEnum, { defaultValue: 'PIPELINE' })
  @IsIn(bases)
  basis!: Basis;

  @Field(() => AttributionDimensionEnum, { defaultValue: 'channel' })
  @IsIn(dimensions)
  groupBy!: Dimension;
}

@ArgsType()
export class AttributionComparisonArgs extends AttributionPeriodArgs {
  @Field(() => [AttributionModelEnum], { description: 'Two or more models, side by side' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ruleBasedModels.length)
  @IsIn(ruleBasedModels, { each: true })
  models!: RuleBasedModelName[];

  @Field(() => AttributionBasisEnum, { defaultValue: 'PIPELINE' })
  @IsIn(bases)
  basis!: Basis;

  @Field(() => AttributionDimensionEnum, { defaultValue: 'channel' })
  @IsIn(dimensions)
  groupBy!: Dimension;
}

@ArgsType()
export class OpportunityAttributionArgs extends CreditRulesArgs {
  @Field()
  @IsEntityId()
  opportunityId!: string;

  @Field(() => AttributionModelEnum)
  @IsIn(ruleBasedModels)
  model!: RuleBasedModelName;

  @Field(() => AttributionBasisEnum, { defaultValue: 'PIPELINE' })
  @IsIn(bases)
  basis!: Basis;
}

@ArgsType()
export class CampaignPerformanceArgs extends AttributionPeriodArgs {
  @Field(() => AttributionModelEnum, { defaultValue: 'LINEAR', description: 'How opportunities, pipeline and revenue are credited to campaigns' })
  @IsIn(ruleBasedModels)
  model!: RuleBasedModelName;
}

@ObjectType({ isAbstract: true })
abstract class AttributionFigures implements report.AttributionFigures {
  @Field(() => Float, { description: "Deals credited on the report's basis: the sum of the key's shares" })
  conversions!: number;

  @Field(() => SafeIntScalar, { description: 'Amount credited, in minor units' })
  amountMinor!: number;

  @Field(() => Int, { description: 'Deals whose journey holds a touch of the key, whatever its share' })
  dealsTouched!: number;

  @Field(() => Float, { description: 'Won deals credited (revenue basis, whatever the report basis): the CAC denominator' })
  customers!: number;

  @Field(() => SafeIntScalar, { description: 'Revenue credited, in minor units: the ROAS and ROI numerator' })
  revenueMinor!: number;

  @Field(() => SafeIntScalar, { description: "Spend of the key's campaigns on days of the period, in minor units" })
  spendMinor!: number;

  @Field(() => Int, { description: 'Contacts that became leads in the period whose lead-creation touch has the key' })
  leads!: number;

  @Field(() => Int, { description: 'Contacts that first became MQLs in the period whose last touch before it has the key' })
  mqls!: number;

  @Field(() => Float, { nullable: true, description: '(revenue − spend) / spend; null without spend' })
  roi!: number | null;

  @Field(() => Float, { nullable: true, description: 'revenue / spend; null without spend' })
  roas!: number | null;

  @Field(() => Float, { nullable: true, description: 'spend / leads in minor units; null without spend or leads' })
  costPerLeadMinor!: number | null;

  @Field(() => Float, { nullable: true, description: 'spend / customers in minor units; null without spend or customers' })
  cacMinor!: number | null;
}

@ObjectType({ description: "One key's share of the period" })
export class AttributionRow extends AttributionFigures implements report.AttributionReportRow {
  @Field({ description: 'The value of the dimension; (not set) for touches without one; (none) for deals no touch explains' })
  key!: string;

  @Field(() => String, { nullable: true, description: "The campaign's name, when grouped by campaign" })
  name!: string | null;
}

@ObjectType({ description: 'The whole period, and whether the credits explain all of it' })
export class AttributionTotal extends AttributionFigures implements report.AttributionTotal {
  @Field(() => Int, { description: 'Deals anchored in the period on the basis, counted from the deals themselves' })
  periodDeals!: number;

  @Field(() => SafeIntScalar, { description: 'Their pipeline (amount at opening) or revenue (won amount) total' })
  periodAmountMinor!: number;

  @Field({ description: 'True when credits add up to periodDeals and periodAmountMinor exactly' })
  reconciled!: boolean;
}

@ObjectType({ description: 'A rule-based attribution report over a period' })
export class AttributionReport implements report.AttributionReport {
  @Field(() => AttributionModelEnum)
  model!: RuleBasedModelName;

  @Field(() => AttributionBasisEnum)
  basis!: Basis;

  @Field()
  from!: string;

  @Field()
  to!: string;

  @Field()
  currency!: string;

  @Field(() => AttributionDimensionEnum)
  groupBy!: Dimension;

  @Field(() => Int)
  lookbackDays!: number;

  @Field({ description: 'True when read from the credits the projection keeps; false when computed for this request' })
  stored!: boolean;

  @Field(() => [AttributionRow], { description: 'Largest credited amount first' })
  rows!: report.AttributionReportRow[];

  @Field(() => AttributionTotal)
  total!: report.AttributionTotal;
}

@ObjectType({ description: "One key's figures under one model" })
export class ModelFigures extends AttributionFigures {
  @Field(() => AttributionModelEnum)
  model!: RuleBasedModelName;
}

@ObjectType({ description: 'One key under every compared model' })
export class ComparisonRow {
  @Field()
  key!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => [ModelFigures], { description: 'In the order the models were asked for' })
  models!: ModelFigures[];
}

@ObjectType({ description: 'The same report under several models, side by side' })
export class AttributionComparison {
  @Field(() => [AttributionModelEnum])
  models!: RuleBasedModelName[];

  @Field(() => [ComparisonRow], { description: 'Every key any model credits, largest first under the first model' })
  rows!: ComparisonRow[];

  @Field(() => [AttributionReport], { description: 'Each model’s full report, totals included' })
  reports!: report.AttributionReport[];
}

@ObjectType({ description: "One touch's credit on a deal" })
export class TouchCredit {
  @Field({ description: 'The touchpoint, or (none) when no eligible touch explains the deal' })
  touchpointId!: string;

  @Field(() => String, { nullable: true })
  occurredAt!: string | null;

  @Field(() => String, { nullable: true })
  kind!: string | null;

  @Field(() => String, { nullable: true })
  channel!: string | null;

  @Field(() => String, { nullable: true })
  campaignId!: string | null;

  @Field(() => String, { nullable: true })
  source!: string | null;

  @Field(() => String, { nullable: true })
  medium!: string | null;

  @Field(() => String, { nullable: true })
  content!: string | null;

  @Field(() => [String], { description: 'Milestones the touch holds (FT, LC, OC, CW, last) and middle when credited as one' })
  positions!: string[];

  @Field(() => Float, { description: 'Share of the deal, 0 to 1' })
  share!: number;

  @Field({ description: 'The share exactly, as a decimal with 18 places' })
  exactShare!: string;

  @Field(() => SafeIntScalar, { description: 'Share of the amount in minor units; the credits sum exactly to it' })
  amountMinor!: number;
}

@ObjectType({ description: "How one deal's amount is split over its journey" })
export class OpportunityAttribution {
  @Field()
  opportunityId!: string;

  @Field(() => AttributionModelEnum)
  model!: RuleBasedModelName;

  @Field(() => AttributionBasisEnum)
  basis!: Basis;

  @Field({ description: 'Opening (pipeline) or win (revenue)' })
  anchorAt!: string;

  @Field(() => SafeIntScalar)
  amountMinor!: number;

  @Field()
  currency!: string;

  @Field(() => Int)
  lookbackDays!: number;

  @Field()
  stored!: boolean;

  @Field(() => [TouchCredit], { description: 'In journey order' })
  credits!: TouchCredit[];
}

@ObjectType({ description: "One campaign's funnel and credited results" })
export class CampaignPerformanceRow {
  @Field({ description: 'The campaign id; (not set) for touches without a campaign; (none) for deals no touch explains' })
  campaignId!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => SafeIntScalar)
  spendMinor!: number;

  @Field(() => Int)
  leads!: number;

  @Field(() => Int)
  mqls!: number;

  @Field(() => Float, { description: 'Opportunities credited (pipeline basis)' })
  opportunities!: number;

  @Field(() => SafeIntScalar, { description: 'Pipeline credited, minor units' })
  pipelineMinor!: number;

  @Field(() => Float, { description: 'Won deals credited (revenue basis)' })
  wonDeals!: number;

  @Field(() => SafeIntScalar, { description: 'Revenue credited, minor units' })
  revenueMinor!: number;

  @Field(() => Float, { nullable: true })
  roas!: number | null;

  @Field(() => Float, { nullable: true })
  roi!: number | null;

  @Field(() => Float, { nullable: true })
  costPerLeadMinor!: number | null;

  @Field(() => Float, { nullable: true })
  cacMinor!: number | null;
}

@ObjectType({ description: 'Campaigns over a period under one model' })
export class CampaignPerformance {
  @Field(() => AttributionModelEnum)
  model!: RuleBasedModelName;

  @Field()
  from!: string;

  @Field()
  to!: string;

  @Field()
  currency!: string;

  @Field(() => [CampaignPerformanceRow], { description: 'Largest credited pipeline first' })
  rows!: CampaignPerformanceRow[];

  @Field(() => CampaignPerformanceRow, { description: 'Every campaign together, (not set) and (none) included' })
  total!: CampaignPerformanceRow;
}

export const DataDrivenModelEnum = graphqlEnum('DataDrivenModel', ['MARKOV', 'SHAPLEY'] as const, 'MARKOV: removal effect over an absorbing chain; SHAPLEY: closed-form Shapley value');

@ArgsType()
export class DataDrivenAttributionArgs extends ReadArgs {
  @Field(() => DataDrivenModelEnum)
  @IsIn(['MARKOV', 'SHAPLEY'])
  model!: 'MARKOV' | 'SHAPLEY';

  @Field(() => Int, { defaultValue: 1, description: 'MARKOV only: consecutive values per state, 1 to 3' })
  @IsInt()
  @Min(1)
  @Max(3)
  order!: number;

  @Field(() => AttributionDimensionEnum, { defaultValue: 'channel' })
  @IsIn(dimensions)
  dimension!: Dimension;

  @Field(() => AttributionBasisEnum, { defaultValue: 'PIPELINE' })
  @IsIn(bases)
  basis!: Basis;

  @Field({ description: 'Start of the period, inclusive: ISO-8601 in UTC' })
  @IsUtcTimestamp()
  from!: string;

  @Field({ description: 'End of the period, exclusive' })
  @IsUtcTimestamp()
  to!: string;

  @Field({ description: 'ISO 4217 code of the converting deals' })
  @IsCurrencyCode()
  currency!: string;

  @Field({ defaultValue: true, description: 'MARKOV: learn from non-converting journeys too' })
  @IsBoolean()
  includeNulls!: boolean;

}

@ObjectType({ description: "One value's data-driven credit" })
export class DataDrivenRow {
  @Field()
  key!: string;

  @Field(() => Float, { nullable: true, description: 'MARKOV: 1 − P(conversion without the value) / P(conversion)' })
  removalEffect!: number | null;

  @Field(() => Float)
  conversions!: number;

  @Field(() => Float, { description: 'Credited value in minor units (fractional)' })
  valueMinor!: number;
}

@ObjectType({ description: 'Markov or Shapley credit learned from every journey of the period, converting or not' })
export class DataDrivenAttribution {
  @Field(() => DataDrivenModelEnum)
  model!: 'MARKOV' | 'SHAPLEY';

  @Field(() => Int, { nullable: true })
  order!: number | null;

  @Field(() => AttributionDimensionEnum)
  dimension!: Dimension;

  @Field(() => AttributionBasisEnum)
  basis!: Basis;

  @Field()
  from!: string;

  @Field()
  to!: string;

  @Field()
  currency!: string;

  @Field(() => Int, { description: 'Converting journeys: deals opened (pipeline) or won (revenue) in the period' })
  convertingJourneys!: number;

  @Field(() => Int, { description: 'People with touches in the period and no converting deal' })
  nonConvertingJourneys!: number;

  @Field(() => Float, { nullable: true, description: 'MARKOV: P(conversion) from start in the full chain' })
  conversionProbability!: number | null;

  @Field(() => Float)
  totalConversions!: number;

  @Field(() => Float)
  totalValueMinor!: number;

  @Field(() => [DataDrivenRow], { description: 'Largest credited value first' })
  rows!: DataDrivenRow[];

  @Field({ description: 'Served from the cache: no input changed since it was computed' })
  cached!: boolean;
}
