import { ArgsType, Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { IsOptional } from 'class-validator';
import { IsEntityId, IsUtcTimestamp } from '../../common/validation/domain-rules';
import { SafeIntScalar } from '../../graphql/safe-int.scalar';
import type { SalesMetricsScope } from '../queries/sales-metrics.query';
import { PipelineAmount, PipelineReadArgs } from './pipeline-report.types';

const AS_OF_END =
  'Every figure is taken as of the end of the period: only events whose business time is before `to` count, ' +
  'and a deal counts with its state then';

@ArgsType()
export class SalesMetricsArgs extends PipelineReadArgs {
  @Field({ description: 'Start of the period, ISO-8601 UTC, inclusive; must be before `to`' })
  @IsUtcTimestamp()
  from!: string;

  @Field({ description: `End of the period, ISO-8601 UTC, exclusive. ${AS_OF_END}` })
  @IsUtcTimestamp()
  to!: string;

  @Field(() => String, { nullable: true, description: 'Only deals of this pipeline' })
  @IsOptional()
  @IsEntityId()
  pipelineId?: string | null;
}

@ObjectType({ description: 'Average deal size in one currency: sum(won amount) / count(won)' })
export class DealSizeReport {
  @Field()
  currency!: string;

  @Field(() => Int)
  wonCount!: number;

  @Field(() => SafeIntScalar, { description: 'Sum of the amounts won, minor units' })
  wonAmountMinor!: number;

  @Field(() => SafeIntScalar, { description: 'wonAmountMinor / wonCount, rounded half up to whole minor units' })
  averageDealSizeMinor!: number;
}

@ObjectType({ description: 'closedAt − openedAt of the deals won in the period, in fractional days' })
export class SalesCycleReport {
  @Field(() => Int)
  wonCount!: number;

  @Field(() => Float, { nullable: true, description: 'Null when nothing was won' })
  meanDays!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'The middle cycle; for an even count the mean of the two middle ones. Null when nothing was won',
  })
  medianDays!: number | null;
}

@ObjectType({ description: 'How many deals of the cohort ever entered a stage, by the end of the period' })
export class StageReachedReport {
  @Field(() => ID)
  stageId!: string;

  @Field()
  name!: string;

  @Field(() => Int)
  order!: number;

  @Field(() => Int)
  reached!: number;
}

@ObjectType({ description: 'Conversion from one stage to the next' })
export class StageStepReport {
  @Field(() => ID)
  fromStageId!: string;

  @Field(() => ID)
  toStageId!: string;

  @Field(() => Int, { description: 'Cohort deals that ever reached the first stage' })
  fromReached!: number;

  @Field(() => Int, { description: 'Of those, the deals that also ever reached the next stage' })
  converted!: number;

  @Field(() => Float, { nullable: true, description: 'converted / fromReached; null when no deal reached the first stage' })
  rate!: number | null;
}

@ObjectType({
  description:
    'Stage conversion of one pipeline. Cohort: the deals opened in the period. A deal reached a stage when it entered it ' +
    '(opened, moved or reopened into it) before `to`. Stages are those of the revision in force at the end of the period, ' +
    'in order',
})
export class StageConversionReport {
  @Field(() => ID)
  pipelineId!: string;

  @Field(() => Int, { description: 'The pipeline revision whose stages are reported' })
  revision!: number;

  @Field(() => Int, { description: 'Deals of this pipeline opened in the period' })
  cohortCount!: number;

  @Field(() => [StageReachedReport])
  stages!: StageReachedReport[];

  @Field(() => [StageStepReport], { description: 'Each pair of consecutive stages, in order' })
  steps!: StageStepReport[];
}

@ObjectType({ description: 'Pipeline velocity in one currency' })
export class VelocityReport {
  @Field()
  currency!: string;

  @Field(() => Int, { description: 'Deals open at the end of the period whose amount in force is in this currency' })
  openCount!: number;

  @Field(() => SafeIntScalar, {
    nullable: true,
    description:
      'openCount × winRate × average deal size in this currency / mean sales cycle in days, in minor units per day, ' +
      'rounded half up once at the end. Null when the win rate, the average deal size or the mean cycle is unknown, ' +
      'or the mean cycle is zero',
  })
  minorPerDay!: number | null;
}

@ObjectType({
  description:
    `Sales metrics of the period [from, to), exactly as DESIGN §7 defines them. ${AS_OF_END}: a deal reopened after ` +
    'winning counts by its outcome at the end (open again then: neither won nor lost; closed again: its last close, ' +
    'if that close falls in the period). ' +
    'A ratio with a zero denominator is null, never 0 or NaN. Money figures are per currency',
})
export class SalesMetrics {
  @Field()
  from!: string;

  @Field()
  to!: string;

  @Field(() => Int, { description: 'Deals whose outcome at the end of the period is a win closed in the period' })
  won!: number;

  @Field(() => Int, { description: 'Deals whose outcome at the end of the period is a loss closed in the period' })
  lost!: number;

  @Field(() => Float, { nullable: true, description: 'won / (won + lost); null when nothing closed' })
  winRate!: number | null;

  @Field(() => [DealSizeReport], { description: 'Per currency; empty when nothing was won' })
  averageDealSize!: DealSizeReport[];

  @Field(() => SalesCycleReport)
  salesCycle!: SalesCycleReport;

  @Field(() => Int, { description: 'Deals open at the end of the period, whatever their currency' })
  openCount!: number;

  @Field(() => [VelocityReport], { description: 'Per currency of the open or won deals' })
  velocity!: VelocityReport[];

  @Field(() => [PipelineAmount], {
    description:
      'Σ open amount × stage probability at the end of the period, per currency, with the stages of the revision ' +
      'in force then: the totals pipeline(asOf) gives for the last millisecond before `to`, added over pipelines',
  })
  weightedPipeline!: PipelineAmount[];

  /** What the answer was asked for, for the fields resolved apart (stage conversion); not in the schema. */
  scope!: SalesMetricsScope;
}
