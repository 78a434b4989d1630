import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { opportunityDecider, opportunityStreamName, type ChangeCloseDate } from '@revops/domain';
import { EventStore } from '@revops/event-store';
import type { WriteContext } from '../../common/api-caller';
import { opportunityWritten, type OpportunityWriteResult } from './opportunity-write-result';

export class ChangeOpportunityCloseDateCommand extends Command<OpportunityWriteResult> {
  constructor(
    readonly data: { readonly opportunityId: string; readonly expectedCloseDate: string },
    readonly context: WriteContext,
  ) {
    super();
  }
}

@CommandHandler(ChangeOpportunityCloseDateCommand)
export class ChangeOpportunityCloseDateHandler implements ICommandHandler<ChangeOpportunityCloseDateCommand> {
  constructor(private readonly eventStore: EventStore) {}

  async execute({ data, context }: ChangeOpportunityCloseDateCommand): Promise<OpportunityWriteResult> {
    const command: ChangeCloseDate = { type: 'ChangeCloseDate', data: { ...data, changedAt: context.occurredAt } };
    const result = await this.eventStore.handle(opportunityStreamName(data.opportunityId), opportunityDecider, command, context);
    return opportunityWritten(data.opportunityId, result);
  }
}
