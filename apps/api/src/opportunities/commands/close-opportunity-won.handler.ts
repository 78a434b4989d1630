import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { opportunityDecider, opportunityStreamName, type CloseWon, type Money } from '@revops/domain';
import { EventStore } from '@revops/event-store';
import type { WriteContext } from '../../common/api-caller';
import { opportunityWritten, type OpportunityWriteResult } from './opportunity-write-result';

export class CloseOpportunityWonCommand extends Command<OpportunityWriteResult> {
  constructor(
    readonly data: { readonly opportunityId: string; readonly wonAmount: Money },
    readonly context: WriteContext,
  ) {
    super();
  }
}

@CommandHandler(CloseOpportunityWonCommand)
export class CloseOpportunityWonHandler implements ICommandHandler<CloseOpportunityWonCommand> {
  constructor(private readonly eventStore: EventStore) {}

  async execute({ data, context }: CloseOpportunityWonCommand): Promise<OpportunityWriteResult> {
    const command: CloseWon = { type: 'CloseWon', data: { ...data, closedAt: context.occurredAt } };
    const result = await this.eventStore.handle(opportunityStreamName(data.opportunityId), opportunityDecider, command, context);
    return opportunityWritten(data.opportunityId, result);
  }
}
