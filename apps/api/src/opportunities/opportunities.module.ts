import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { ContactsModule } from '../contacts/contacts.module';
import { PipelineModule } from '../pipeline/pipeline.module';
import { AccountOpportunitiesResolver } from './account-opportunities.resolver';
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
import { OpportunityReadResolver } from './opportunity-read.resolver';
import { OpportunitiesQueryHandler } from './queries/opportunities.query';
import { OpportunityLoaders } from './queries/opportunity.loaders';
import { OpportunityQueryHandler } from './queries/opportunity.query';

/** Deals: opened against an account in a pipeline, moved through stages, closed won or lost. */
@Module({
  imports: [PipelineModule, AccountsModule, ContactsModule],
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
    OpportunityReadResolver,
    AccountOpportunitiesResolver,
    OpportunityQueryHandler,
    OpportunitiesQueryHandler,
    OpportunityLoaders,
  ],
})
export class OpportunitiesModule {}
