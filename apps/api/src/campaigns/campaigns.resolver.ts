import { randomUUID } from 'node:crypto';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCaller, Caller } from '../common/api-caller';
import { CreateCampaignCommand } from './commands/create-campaign.handler';
import { RecordCampaignSpendCommand } from './commands/record-campaign-spend.handler';
import { CampaignReceipt, CreateCampaignInput, RecordCampaignSpendInput } from './graphql/campaign.types';

@Resolver()
export class CampaignsResolver {
  constructor(private readonly commandBus: CommandBus) {}

  @Mutation(() => CampaignReceipt, { description: 'Creates a marketing campaign with its channel, UTM tagging and budget' })
  createCampaign(@Args('input') input: CreateCampaignInput, @Caller() caller: ApiCaller): Promise<CampaignReceipt> {
    const { campaignId, name, channel, utm, budget, startDate, endDate } = input;
    return this.commandBus.execute(
      new CreateCampaignCommand(
        { campaignId: campaignId ?? randomUUID(), name, channel, utm, budget, startDate, endDate },
        caller.commandContext(input.occurredAt),
      ),
    );
  }

  @Mutation(() => CampaignReceipt, {
    description: "Records one day's spend from one source; the same figure again changes nothing, a new one corrects it",
  })
  recordCampaignSpend(@Args('input') input: RecordCampaignSpendInput, @Caller() caller: ApiCaller): Promise<CampaignReceipt> {
    const { campaignId, day, source, amount } = input;
    return this.commandBus.execute(
      new RecordCampaignSpendCommand({ campaignId, day, source, amount }, caller.commandContext(input.occurredAt)),
    );
  }
}
