import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { contactDecider, contactStreamName, type LeadRejectionReason, type RejectLead } from '@revops/domain';
import { EventStore } from '@revops/event-store';
import { actingUserId, type WriteContext } from '../../common/api-caller';
import { contactWritten, type ContactWriteResult } from './contact-write-result';

/** Sales turns a lead down with a reason: the feedback marketing counts to improve lead quality. */
export class RejectLeadCommand extends Command<ContactWriteResult> {
  constructor(
    /** `rejectedBy` null: the acting user rejects. */
    readonly data: {
      readonly contactId: string;
      readonly reason: LeadRejectionReason;
      readonly note: string | null;
      readonly rejectedBy: string | null;
    },
    readonly context: WriteContext,
  ) {
    super();
  }
}

@CommandHandler(RejectLeadCommand)
export class RejectLeadHandler implements ICommandHandler<RejectLeadCommand> {
  constructor(private readonly eventStore: EventStore) {}

  async execute({ data, context }: RejectLeadCommand): Promise<ContactWriteResult> {
    const rejectedBy = data.rejectedBy ?? actingUserId(context, 'rejectedBy');
    const command: RejectLead = { type: 'RejectLead', data: { ...data, rejectedBy, rejectedAt: context.occurredAt } };
    const result = await this.eventStore.handle(contactStreamName(data.contactId), contactDecider, command, context);
    return contactWritten(data.contactId, result);
  }
}
