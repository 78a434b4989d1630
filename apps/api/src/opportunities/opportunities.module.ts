import { Module } from '@nestjs/common';
import { PipelineModule } from '../pipeline/pipeline.module';
import { AddOpportunityContactHandler } from './commands/add-opportunity-contact.handler';
import { ChangeOpportunityAmountHandler } from './commands/change-opportunity-amount.handler';
import { ChangeOpportunityCloseDateHandler } from './commands/change-opportunity-close-date.handler';
import { ChangeOpportunityStageHandler } from './commands/change-opportunity-stage.handler';
import { CloseOpportunityLostHandler } from './commands/close-opportunity-lost.handler';
import { CloseOpportunityWonHandler } from './commands/close-opportunity-won.handler';
import { OpenOpportunityHandler } from './commands/open-opportunity.handler';
import { ReopenOpportunityHandler } from './commands/reopen-opportunity.handler';
import { OpportunitiesResolver } from './opportunities.resolver';
import { OpportunityReferences } from './opportunity-references';

/** Deals: opened against an account in a pipeline, moved through stages, closed won or lost. */
@Module({
  imports: [PipelineModule],
  providers: [
    OpportunitiesResolver,
    OpportunityReferences,
    OpenOpportunityHandler,
    ChangeOpportunityStageHandler,
    ChangeOpportunityAmountHandler,
    ChangeOpportunityCloseDateHandler,
    AddOpportunityContactHandler,
    CloseOpportunityWonHandler,
    CloseOpportunityLostHandler,
    ReopenOpportunityHandler,
  ],
})
export class OpportunitiesModule {}
