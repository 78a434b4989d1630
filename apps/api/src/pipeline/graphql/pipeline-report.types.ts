import { ArgsType, Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { IsOptional } from 'class-validator';
import { ReadArgs } from '../../common/read-side/position.input';
import { IsEntityId, IsUtcTimestamp } from '../../common/validation/domain-rules';
import { SafeIntScalar } from '../../graphql/safe-int.scalar';

/** What every read of the pipeline takes besides its own arguments. */
@ArgsType()
export abstract class PipelineReadArgs extends ReadArgs {
  @Field(() => String, { nullable: true, description: 'Only deals owned by this sales rep' })
  @IsOptional()
  @IsEntityId()
  ownerId?: string | null;

}

@ArgsType()
export class PipelineArgs extends PipelineReadArgs {
  @Field(() => ID)
  @IsEntityId()
  pipelineId!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Answer as of this instant (ISO-8601 UTC) from history: only events whose business time (occurredAt) ' +
      'is at or before it count. Defaults to now',
  })
  @IsOptional()
  @IsUtcTimestamp()
  asOf?: string | null;
}

@ObjectType({
  description:
    'Open deals in one currency: how many, their amount and their weighted amount. Currencies are never added together, ' +
    'so every money figure comes as one row per currency',
})
export class PipelineAmount {
  @Field({ description: 'ISO 4217 code' })
  currency!: string;

  @Field(() => Int, { description: 'Open deals in this currency' })
  count!: number;

  @Field(() => SafeIntScalar, { description: 'Sum of their amounts in force at the instant, in minor units' })
  amountMinor!: number;

  @Field(() => SafeIntScalar, {
    description:
      "Amount × the stage's win probability, rounded half up to whole minor units once per stage and currency; " +
      'a total is the sum of the rounded stage figures',
  })
  weightedAmountMinor!: number;
}

@ObjectType({ description: 'One stage of the pipeline and the deals open in it at the instant' })
export class PipelineStageReport {
  @Field(() => ID)
  stageId!: string;

  @Field()
  name!: string;

  @Field(() => Int, { description: 'Position in the process; lower comes first' })
  order!: number;

  @Field(() => Float, { description: 'Percent (0 to 100), from the pipeline revision in force at the instant' })
  winProbability!: number;

  @Field({
    description:
      'True for a stage the revision in force does not have (a revision dropped it while deals still sat in it); ' +
      'listed after the current stages, only while it holds deals, with the last probability it had',
  })
  retired!: boolean;

  @Field(() => Int, { description: 'Open deals in the stage, all currencies' })
  count!: number;

  @Field(() => [PipelineAmount], { description: 'Per currency, in code order; empty when no deal is open in the stage' })
  amounts!: PipelineAmount[];
}

@ObjectType({ description: 'Every open deal of the pipeline at the instant' })
export class PipelineTotals {
  @Field(() => Int)
  count!: number;

  @Field(() => [PipelineAmount], { description: 'Per currency: the sums of the stage rows' })
  amounts!: PipelineAmount[];
}

@ObjectType({ description: 'The sales pipeline by stage at one instant, answered from history' })
export class PipelineReport {
  @Field(() => ID)
  pipelineId!: string;

  @Field()
  name!: string;

  @Field({ description: 'The instant answered, ISO-8601 UTC' })
  asOf!: string;

  @Field(() => Int, { description: 'The revision of the stages in force at the instant: the one that took effect last at or before it' })
  revision!: number;

  @Field({ description: 'When that revision took effect (business time)' })
  revisionEffectiveAt!: string;

  @Field(() => [PipelineStageReport], {
    description: 'In stage order: the stages of the revision in force, then retired stages holding deals',
  })
  stages!: PipelineStageReport[];

  @Field(() => PipelineTotals)
  totals!: PipelineTotals;
}
