import { ArgsType, Field, Float, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { SafeIntScalar } from '../../graphql/safe-int.scalar';
import { CommitPosition } from '../../common/graphql/write-receipt.types';
import { PositionInput } from '../../common/read-side/position.input';

export enum ProjectionStateValue {
  REBUILDING = 'rebuilding',
  RUNNING = 'running',
  CAUGHT_UP = 'caught_up',
  STALLED = 'stalled',
  RETIRED = 'retired',
}

registerEnumType(ProjectionStateValue, {
  name: 'ProjectionState',
  description: 'REBUILDING: a version filling its tables before it serves; RUNNING: serving and behind; CAUGHT_UP: serving at the head; STALLED: stopped on an event it could not apply; RETIRED: replaced by a newer version',
});

@ObjectType({ description: 'The event a projection version stalled on, and why' })
export class ProjectionFailure {
  @Field(() => CommitPosition, { nullable: true, description: 'Position of the event; null when the subscription itself failed' })
  position!: CommitPosition | null;

  @Field(() => String, { nullable: true })
  eventId!: string | null;

  @Field(() => String, { nullable: true })
  streamName!: string | null;

  @Field(() => String, { nullable: true })
  eventType!: string | null;

  @Field({ description: 'SQLSTATE and message of the last attempt' })
  error!: string;

  @Field(() => Int)
  attempts!: number;

  @Field({ description: 'UTC ISO-8601' })
  failedAt!: string;
}

@ObjectType({ description: 'One version of a read model: where it is in the event log, how far behind, how fast' })
export class ProjectionStatusView {
  @Field()
  name!: string;

  @Field(() => Int)
  version!: number;

  @Field({ description: 'Queries read this version' })
  serving!: boolean;

  @Field({ description: 'PostgreSQL schema of its tables' })
  schema!: string;

  @Field(() => ProjectionStateValue)
  state!: ProjectionStateValue;

  @Field(() => CommitPosition, { nullable: true, description: 'Last position applied; null before the first event' })
  checkpoint!: CommitPosition | null;

  @Field(() => CommitPosition, { nullable: true, description: 'Last event of the log; null while the event store cannot be reached' })
  head!: CommitPosition | null;

  @Field(() => SafeIntScalar, { nullable: true, description: 'Events it consumes after its checkpoint' })
  lagEvents!: number | null;

  @Field({ description: 'False when lagEvents is extrapolated from a partial scan of a long backlog' })
  lagEventsExact!: boolean;

  @Field(() => Float, { nullable: true, description: 'Age of the oldest event still to apply, in seconds; 0 when none is pending' })
  lagSeconds!: number | null;

  @Field(() => Float)
  eventsPerSecond!: number;

  @Field(() => SafeIntScalar)
  eventsApplied!: number;

  @Field(() => String, { nullable: true })
  lastCommittedAt!: string | null;

  @Field(() => String, { nullable: true })
  caughtUpAt!: string | null;

  @Field(() => ProjectionFailure, { nullable: true, description: 'Set while stalled' })
  failure!: ProjectionFailure | null;

  @Field(() => String, { nullable: true, description: 'What the runner in this process is doing; null when it runs in another process' })
  runner!: string | null;
}

const NAME = /^[a-z][a-z0-9_]*$/;

@InputType({ isAbstract: true })
abstract class ProjectionOperation {
  @Field({ description: 'Projection name, e.g. opportunities' })
  @Matches(NAME, { message: 'name must be a projection name: lower-case letters, digits and _' })
  name!: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  version!: number;

  @Field({ description: 'Why, kept with the failure for audit' })
  @MinLength(3, { message: 'reason must say why, in at least 3 characters' })
  @MaxLength(1000)
  reason!: string;
}

@InputType({ description: 'Retry a stalled projection version from its checkpoint, after a fix was deployed under the same version' })
export class ResumeProjectionInput extends ProjectionOperation {}

@InputType({ description: 'Never apply the event a projection version stalled on; position must be exactly that event' })
export class SkipProjectionEventInput extends ProjectionOperation {
  @Field(() => PositionInput)
  @ValidateNested()
  @Type(() => PositionInput)
  position!: PositionInput;
}

@ArgsType()
export class ProjectionsArgs {
  @Field(() => String, { nullable: true, description: 'Only the versions of this projection' })
  @IsOptional()
  @Matches(NAME, { message: 'name must be a projection name: lower-case letters, digits and _' })
  name?: string | null;
}
