import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { contactDecider, contactStreamName, type AcceptLead } from '@revops/domain';
import { EventStore } from '@revops/event-store';
import { actingUserId, type WriteContext } from '../../common/api-caller';
import { contactWritten, type ContactWriteResult } from './contact-write-result';

export class AcceptLeadCommand extends Command<ContactWriteResult> {
  constructor(
    /** `acceptedBy` null: the acting user accepts. */
    readonly data: { readonly contactId: string; readonly acceptedBy: string | null },
    readonly context: WriteContext,
  ) {
    super();
  }
}

@CommandHandler(AcceptLeadCommand)
export class AcceptLeadHandler implements ICommandHandler<AcceptLeadCommand> {
  constructor(private readonly eventStore: EventStore) {}

  async execute({ data, context }: AcceptLeadCommand): Promise<ContactWriteResult> {
    const acceptedBy = data.acceptedBy ?? actingUserId(context, 'acceptedBy');
    const command: AcceptLead = { type: 'AcceptLead', data: { contactId: data.contactId, acceptedBy, acceptedAt: context.occurredAt } };
    const result = await this.eventStore.handle(contactStreamName(data.contactId), contactDecider, command, context);
    return contactWritten(data.contactId, result);
  }
}
