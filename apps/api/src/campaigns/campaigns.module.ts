import { Module } from '@nestjs/common';
import { CampaignsResolver } from './campaigns.resolver';
import { CreateCampaignHandler } from './commands/create-campaign.handler';
import { RecordCampaignSpendHandler } from './commands/record-campaign-spend.handler';

/** Marketing campaigns and what they cost, day by day. */
@Module({
  providers: [CampaignsResolver, CreateCampaignHandler, RecordCampaignSpendHandler],
})
export class CampaignsModule {}
