import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Position } from '@revops/event-store';
import { ProjectionsAdmin, ProjectionsStatus, type Operator, type VersionKey } from '@revops/projections';
import type { ProjectionStatusView } from '../graphql/projection-status.types';
import { statusView } from '../queries/projection-statuses.query';

export class ResumeProjectionCommand extends Command<ProjectionStatusView[]> {
  constructor(
    readonly key: VersionKey,
    readonly operator: Operator,
  ) {
    super();
  }
}

export class SkipProjectionEventCommand extends Command<ProjectionStatusView[]> {
  constructor(
    readonly key: VersionKey,
    readonly position: Position,
    readonly operator: Operator,
  ) {
    super();
  }
}

/** Both ways out of a stall answer with the versions of that projection as they are now. */
@CommandHandler(ResumeProjectionCommand)
export class ResumeProjectionHandler implements ICommandHandler<ResumeProjectionCommand> {
  constructor(
    private readonly admin: ProjectionsAdmin,
    private readonly status: ProjectionsStatus,
  ) {}

  async execute({ key, operator }: ResumeProjectionCommand): Promise<ProjectionStatusView[]> {
    await this.admin.resume(key, operator);
    return (await this.status.list(key.name)).map(statusView);
  }
}

@CommandHandler(SkipProjectionEventCommand)
export class SkipProjectionEventHandler implements ICommandHandler<SkipProjectionEventCommand> {
  constructor(
    private readonly admin: ProjectionsAdmin,
    private readonly status: ProjectionsStatus,
  ) {}

  async execute({ key, position, operator }: SkipProjectionEventCommand): Promise<ProjectionStatusView[]> {
    await this.admin.skip(key, position, operator);
    return (await this.status.list(key.name)).map(statusView);
  }
}
