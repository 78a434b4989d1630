import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { opportunityDecider, opportunityStreamName, type ChangeAmount, type Money } from '@revops/domain';
import { EventStore } from '@revops/event-store';
import type { WriteContext } from '../../common/api-caller';
import { opportunityWritten, type OpportunityWriteResult } from './opportunity-write-result';

export class ChangeOpportunityAmountCommand extends Command<OpportunityWriteResult> {
  constructor(
    readonly data: { readonly opportunityId: string; readonly amount: Money },
    readonly context: WriteContext,
  ) {
    super();
  }
}

@CommandHandler(ChangeOpportunityAmountCommand)
export class ChangeOpportunityAmountHandler implements ICommandHandler<ChangeOpportunityAmountCommand> {
  constructor(private readonly eventStore: EventStore) {}

  async execute({ data, context }: ChangeOpportunityAmountCommand): Promise<OpportunityWriteResult> {
    const command: ChangeAmount = { type: 'ChangeAmount', data: { ...data, changedAt: context.occurredAt } };
    const result = await this.eventStore.handle(opportunityStreamName(data.opportunityId), opportunityDecider, command, context);
    return opportunityWritten(data.opportunityId, result);
  }
}
