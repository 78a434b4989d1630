import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { MAX_STAGES } from '@revops/domain';
import { CommandInput } from '../../common/graphql/command-input.types';
import { WriteReceipt } from '../../common/graphql/write-receipt.types';
import { IsEntityId, IsText } from '../../common/validation/domain-rules';

@InputType({ description: 'An open stage of a sales process; closed won and lost are outcomes, not stages' })
export class PipelineStageInput {
  @Field(() => ID, { description: 'Stable id of the stage within its pipeline, e.g. discovery' })
  @IsEntityId()
  stageId!: string;

  @Field({ description: 'Display name, at most 100 characters' })
  @IsText(100)
  name!: string;

  @Field(() => Int, { description: 'Position in the process, 0 to 10000; lower comes first, each stage its own' })
  @IsInt()
  @Min(0)
  @Max(10_000)
  order!: number;

  @Field(() => Int, { description: 'Chance in percent (0 to 100) that a deal in this stage is won' })
  @IsInt()
  @Min(0)
  @Max(100)
  winProbability!: number;
}

/** The complete stage list a pipeline mutation sets. */
@InputType({ isAbstract: true })
abstract class PipelineStagesInput extends CommandInput {
  @Field(() => [PipelineStageInput], { description: `The open stages, 1 to ${MAX_STAGES}` })
  @IsArray()
  @ArrayMaxSize(MAX_STAGES)
  @ValidateNested({ each: true })
  @Type(() => PipelineStageInput)
  stages!: PipelineStageInput[];
}

@InputType()
export class DefinePipelineInput extends PipelineStagesInput {
  @Field(() => ID, { nullable: true, description: 'Id of the new pipeline; a UUID is generated when left out' })
  @IsOptional()
  @IsEntityId()
  pipelineId?: string | null;

  @Field({ description: 'Display name, at most 100 characters' })
  @IsText(100)
  name!: string;
}

@InputType({
  description:
    'Replaces the stage list of a pipeline with a new revision, in force from occurredAt on; ' +
    'deals already in a dropped stage stay there, but no deal can move into it',
})
export class RevisePipelineStagesInput extends PipelineStagesInput {
  @Field(() => ID)
  @IsEntityId()
  pipelineId!: string;
}

@ObjectType({ description: 'What a pipeline mutation wrote' })
export class PipelineReceipt extends WriteReceipt {
  @Field(() => ID)
  pipelineId!: string;
}
