import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { opportunityDecider, opportunityStreamName, type CloseLost, type LossReason } from '@revops/domain';
import { EventStore } from '@revops/event-store';
import type { WriteContext } from '../../common/api-caller';
import { opportunityWritten, type OpportunityWriteResult } from './opportunity-write-result';

export class CloseOpportunityLostCommand extends Command<OpportunityWriteResult> {
  constructor(
    readonly data: { readonly opportunityId: string; readonly reason: LossReason; readonly note: string | null },
    readonly context: WriteContext,
  ) {
    super();
  }
}

@CommandHandler(CloseOpportunityLostCommand)
export class CloseOpportunityLostHandler implements ICommandHandler<CloseOpportunityLostCommand> {
  constructor(private readonly eventStore: EventStore) {}

  async execute({ data, context }: CloseOpportunityLostCommand): Promise<OpportunityWriteResult> {
    const command: CloseLost = { type: 'CloseLost', data: { ...data, closedAt: context.occurredAt } };
    const result = await this.eventStore.handle(opportunityStreamName(data.opportunityId), opportunityDecider, command, context);
    return opportunityWritten(data.opportunityId, result);
  }
}
