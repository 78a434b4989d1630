import { ArgsType, Field, ID, ObjectType } from '@nestjs/graphql';
import { SafeIntScalar } from '../../graphql/safe-int.scalar';
import { CommitPosition } from '../../common/graphql/write-receipt.types';
import { IsEntityId } from '../../common/validation/domain-rules';

@ObjectType({ description: 'An opportunity as its read model holds it right after a change was projected' })
export class OpportunityChange {
  @Field(() => ID)
  opportunityId!: string;

  @Field(() => ID)
  pipelineId!: string;

  @Field()
  name!: string;

  @Field(() => ID)
  stageId!: string;

  @Field({ description: 'open, won or lost' })
  status!: string;

  @Field(() => SafeIntScalar, { description: 'Current amount in minor units' })
  amountMinor!: number;

  @Field()
  currency!: string;

  @Field(() => ID)
  ownerId!: string;

  @Field(() => CommitPosition, { description: 'The read model has applied the log up to here: pass it as minPosition to query around it' })
  position!: CommitPosition;
}

@ObjectType({ description: 'Something in a pipeline changed: its definition, or deals in it; query pipeline(...) with position as minPosition for the figures' })
export class PipelineChange {
  @Field(() => ID)
  pipelineId!: string;

  @Field(() => [ID], { description: 'Deals of the pipeline that changed; empty when only the pipeline definition did' })
  opportunityIds!: string[];

  @Field(() => CommitPosition)
  position!: CommitPosition;
}

@ArgsType()
export class PipelineChangesArgs {
  @Field(() => ID, { description: 'Only changes in this pipeline' })
  @IsEntityId()
  pipelineId!: string;
}
