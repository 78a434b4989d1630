import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Position } from '@revops/event-store';
import { ProjectionsStatus, type ProjectionStatus } from '@revops/projections';
import type { CommitPosition } from '../../common/graphql/write-receipt.types';
import type { ProjectionStateValue, ProjectionStatusView } from '../graphql/projection-status.types';

export class ProjectionStatusesQuery extends Query<ProjectionStatusView[]> {
  constructor(readonly name?: string) {
    super();
  }
}

@QueryHandler(ProjectionStatusesQuery)
export class ProjectionStatusesHandler implements IQueryHandler<ProjectionStatusesQuery> {
  constructor(private readonly status: ProjectionsStatus) {}

  async execute({ name }: ProjectionStatusesQuery): Promise<ProjectionStatusView[]> {
    return (await this.status.list(name)).map(statusView);
  }
}

export function statusView(status: ProjectionStatus): ProjectionStatusView {
  const { error } = status;
  return {
    name: status.name,
    version: status.version,
    serving: status.serving,
    schema: status.schema,
    state: status.state as ProjectionStateValue,
    checkpoint: commitPosition(status.checkpoint),
    head: commitPosition(status.head),
    lagEvents: status.lagEvents,
    lagEventsExact: status.lagEventsExact,
    lagSeconds: status.lagSeconds,
    eventsPerSecond: status.eventsPerSecond,
    eventsApplied: status.eventsApplied,
    lastCommittedAt: status.lastCommittedAt?.toISOString() ?? null,
    caughtUpAt: status.caughtUpAt?.toISOString() ?? null,
    failure: error && {
      position: commitPosition(error.position),
      eventId: error.eventId,
      streamName: error.streamName,
      eventType: error.eventType,
      error: error.error,
      attempts: error.attempts,
      failedAt: error.failedAt.toISOString(),
    },
    runner: status.runner,
  };
}

function commitPosition(position: Position | null): CommitPosition | null {
  return position && { commit: position.commit.toString(), prepare: position.prepare.toString() };
}
