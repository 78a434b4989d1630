import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCaller, Caller } from '../common/api-caller';
import { positionOf } from '../common/read-side/position.input';
import { ResumeProjectionCommand, SkipProjectionEventCommand } from './commands/projection-fixes.handler';
import {
  ProjectionsArgs,
  ProjectionStatusView,
  ResumeProjectionInput,
  SkipProjectionEventInput,
} from './graphql/projection-status.types';
import { ProjectionStatusesQuery } from './queries/projection-statuses.query';

@Resolver(() => ProjectionStatusView)
export class ProjectionsResolver {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly commandBus: CommandBus,
  ) {}

  @Query(() => [ProjectionStatusView], {
    description: 'Every read model version: checkpoint, head of the log, lag in events and seconds, events/s, state and the error of a stall',
  })
  projections(@Args() { name }: ProjectionsArgs): Promise<ProjectionStatusView[]> {
    return this.queryBus.execute(new ProjectionStatusesQuery(name ?? undefined));
  }

  @Mutation(() => [ProjectionStatusView], {
    description: 'Lets a stalled version retry from its checkpoint once the fix is deployed; the stall is recorded as resumed, by whom and why',
  })
  resumeProjection(@Args('input') input: ResumeProjectionInput, @Caller() caller: ApiCaller): Promise<ProjectionStatusView[]> {
    const { name, version, reason } = input;
    return this.commandBus.execute(new ResumeProjectionCommand({ name, version }, { by: caller.actor.id, reason }));
  }

  @Mutation(() => [ProjectionStatusView], {
    description: 'Moves a stalled version past the one event it stalled on, which is then never applied; recorded as skipped, by whom and why',
  })
  skipProjectionEvent(@Args('input') input: SkipProjectionEventInput, @Caller() caller: ApiCaller): Promise<ProjectionStatusView[]> {
    const { name, version, reason, position } = input;
    return this.commandBus.execute(new SkipProjectionEventCommand({ name, version }, positionOf(position)!, { by: caller.actor.id, reason }));
  }
}
