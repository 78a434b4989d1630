import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { campaignDecider, campaignStreamName, type RecordCampaignSpend } from '@revops/domain';
import { EventStore } from '@revops/event-store';
import type { WriteContext } from '../../common/api-caller';
import { campaignWritten, type CampaignWriteResult } from './campaign-write-result';

export class RecordCampaignSpendCommand extends Command<CampaignWriteResult> {
  constructor(
    readonly data: Omit<RecordCampaignSpend['data'], 'recordedAt'>,
    readonly context: WriteContext,
  ) {
    super();
  }
}

@CommandHandler(RecordCampaignSpendCommand)
export class RecordCampaignSpendHandler implements ICommandHandler<RecordCampaignSpendCommand> {
  constructor(private readonly eventStore: EventStore) {}

  async execute({ data, context }: RecordCampaignSpendCommand): Promise<CampaignWriteResult> {
    const command: RecordCampaignSpend = { type: 'RecordCampaignSpend', data: { ...data, recordedAt: context.occurredAt } };
    const result = await this.eventStore.handle(campaignStreamName(data.campaignId), campaignDecider, command, context);
    return campaignWritten(data.campaignId, result);
  }
}
