import { randomUUID } from 'node:crypto';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCaller, Caller } from '../common/api-caller';
import { AcceptLeadCommand } from './commands/accept-lead.handler';
import { CaptureLeadCommand } from './commands/capture-lead.handler';
import { IdentifyContactCommand } from './commands/identify-contact.handler';
import { QualifyLeadCommand } from './commands/qualify-lead.handler';
import { RejectLeadCommand } from './commands/reject-lead.handler';
import { ScoreLeadCommand } from './commands/score-lead.handler';
import {
  AcceptLeadInput,
  CaptureLeadInput,
  ContactReceipt,
  IdentifyInput,
  LeadCaptureReceipt,
  QualifyLeadInput,
  RejectLeadInput,
  ScoreLeadInput,
} from './graphql/lead.types';

@Resolver()
export class LeadsResolver {
  constructor(private readonly commandBus: CommandBus) {}

  @Mutation(() => LeadCaptureReceipt, {
    description: "Captures a new lead (or subscriber); an address at a company domain files it under that company's account",
  })
  captureLead(@Args('input') input: CaptureLeadInput, @Caller() caller: ApiCaller): Promise<LeadCaptureReceipt> {
    const { contactId, email, firstName, lastName, jobTitle, phone, companyName, lifecycleStage, convertingTouch } = input;
    return this.commandBus.execute(
      new CaptureLeadCommand(
        {
          contactId: contactId ?? randomUUID(),
          details: { email, firstName, lastName, jobTitle, phone, companyName },
          lifecycleStage,
          convertingTouch,
        },
        caller.commandContext(input.occurredAt),
      ),
    );
  }

  @Mutation(() => ContactReceipt, { description: "Links a tracker's anonymous id to a contact, stitching its earlier touches to them" })
  identify(@Args('input') input: IdentifyInput, @Caller() caller: ApiCaller): Promise<ContactReceipt> {
    const { contactId, anonymousId } = input;
    return this.commandBus.execute(new IdentifyContactCommand({ contactId, anonymousId }, caller.commandContext(input.occurredAt)));
  }

  @Mutation(() => ContactReceipt, { description: "Sets a lead's score" })
  scoreLead(@Args('input') input: ScoreLeadInput, @Caller() caller: ApiCaller): Promise<ContactReceipt> {
    const { contactId, score } = input;
    return this.commandBus.execute(new ScoreLeadCommand({ contactId, score }, caller.commandContext(input.occurredAt)));
  }

  @Mutation(() => ContactReceipt, {
    description: 'Moves a contact to another lifecycle stage (e.g. LEAD to MQL); moving back needs a reason',
  })
  qualifyLead(@Args('input') input: QualifyLeadInput, @Caller() caller: ApiCaller): Promise<ContactReceipt> {
    const { contactId, stage, reason } = input;
    return this.commandBus.execute(
      new QualifyLeadCommand({ contactId, stage, reason: reason ?? null }, caller.commandContext(input.occurredAt)),
    );
  }

  @Mutation(() => ContactReceipt, { description: 'Sales accepts an MQL or SQL handed over by marketing' })
  acceptLead(@Args('input') input: AcceptLeadInput, @Caller() caller: ApiCaller): Promise<ContactReceipt> {
    const { contactId, acceptedBy } = input;
    return this.commandBus.execute(
      new AcceptLeadCommand({ contactId, acceptedBy: acceptedBy ?? null }, caller.commandContext(input.occurredAt)),
    );
  }

  @Mutation(() => ContactReceipt, { description: 'Sales rejects an MQL or SQL, with a reason for marketing' })
  rejectLead(@Args('input') input: RejectLeadInput, @Caller() caller: ApiCaller): Promise<ContactReceipt> {
    const { contactId, reason, note, rejectedBy } = input;
    return this.commandBus.execute(
      new RejectLeadCommand(
        { contactId, reason, note: note ?? null, rejectedBy: rejectedBy ?? null },
        caller.commandContext(input.occurredAt),
      ),
    );
  }
}
