import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { campaignDecider, campaignStreamName, type CreateCampaign } from '@revops/domain';
import { EventStore } from '@revops/event-store';
import type { WriteContext } from '../../common/api-caller';
import { campaignWritten, type CampaignWriteResult } from './campaign-write-result';

export class CreateCampaignCommand extends Command<CampaignWriteResult> {
  constructor(
    readonly data: Omit<CreateCampaign['data'], 'createdAt'>,
    readonly context: WriteContext,
  ) {
    super();
  }
}

@CommandHandler(CreateCampaignCommand)
export class CreateCampaignHandler implements ICommandHandler<CreateCampaignCommand> {
  constructor(private readonly eventStore: EventStore) {}

  async execute({ data, context }: CreateCampaignCommand): Promise<CampaignWriteResult> {
    const command: CreateCampaign = { type: 'CreateCampaign', data: { ...data, createdAt: context.occurredAt } };
    const result = await this.eventStore.handle(campaignStreamName(data.campaignId), campaignDecider, command, context);
    return campaignWritten(data.campaignId, result);
  }
}
