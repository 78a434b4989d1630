import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { opportunityDecider, opportunityStreamName, type Reopen } from '@revops/domain';
import { EventStore } from '@revops/event-store';
import type { WriteContext } from '../../common/api-caller';
import { OpportunityReferences } from '../opportunity-references';
import { opportunityWritten, type OpportunityWriteResult } from './opportunity-write-result';

export class ReopenOpportunityCommand extends Command<OpportunityWriteResult> {
  constructor(
    readonly data: { readonly opportunityId: string; readonly stageId: string; readonly reason: string | null },
    readonly context: WriteContext,
  ) {
    super();
  }
}

@CommandHandler(ReopenOpportunityCommand)
export class ReopenOpportunityHandler implements ICommandHandler<ReopenOpportunityCommand> {
  constructor(
    private readonly eventStore: EventStore,
    private readonly references: OpportunityReferences,
  ) {}

  async execute({ data, context }: ReopenOpportunityCommand): Promise<OpportunityWriteResult> {
    const pipeline = await this.references.stagesFor(data.opportunityId);
    const command: Reopen = { type: 'Reopen', data: { ...data, pipeline, reopenedAt: context.occurredAt } };
    const result = await this.eventStore.handle(opportunityStreamName(data.opportunityId), opportunityDecider, command, context);
    return opportunityWritten(data.opportunityId, result);
  }
}
