import { Module } from '@nestjs/common';
import { AcceptLeadHandler } from './commands/accept-lead.handler';
import { CaptureLeadHandler } from './commands/capture-lead.handler';
import { IdentifyContactHandler } from './commands/identify-contact.handler';
import { QualifyLeadHandler } from './commands/qualify-lead.handler';
import { RejectLeadHandler } from './commands/reject-lead.handler';
import { ScoreLeadHandler } from './commands/score-lead.handler';
import { LeadsResolver } from './leads.resolver';
import { LeadReportsResolver } from './lead-reports.resolver';
import { FunnelHandler } from './queries/funnel.query';
import { LeadQualityHandler } from './queries/lead-quality.query';

/**
 * Contacts on their way through the funnel: captured, identified, scored, qualified, and
 * accepted or rejected by sales. Capturing a lead files it under its company's account
 * through the accounts context's JoinCompanyAccount command.
 */
@Module({
  providers: [
    LeadsResolver,
    CaptureLeadHandler,
    IdentifyContactHandler,
    ScoreLeadHandler,
    QualifyLeadHandler,
    AcceptLeadHandler,
    RejectLeadHandler,
    LeadReportsResolver,
    FunnelHandler,
    LeadQualityHandler,
  ],
})
export class LeadsModule {}
