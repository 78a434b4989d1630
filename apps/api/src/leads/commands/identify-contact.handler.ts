import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { contactDecider, contactStreamName, type LinkIdentity } from '@revops/domain';
import { EventStore } from '@revops/event-store';
import type { WriteContext } from '../../common/api-caller';
import { contactWritten, type ContactWriteResult } from './contact-write-result';

/** Links a tracker's anonymous id to a contact, so its touches join the contact's journey. */
export class IdentifyContactCommand extends Command<ContactWriteResult> {
  constructor(
    readonly data: { readonly contactId: string; readonly anonymousId: string },
    readonly context: WriteContext,
  ) {
    super();
  }
}

@CommandHandler(IdentifyContactCommand)
export class IdentifyContactHandler implements ICommandHandler<IdentifyContactCommand> {
  constructor(private readonly eventStore: EventStore) {}

  async execute({ data, context }: IdentifyContactCommand): Promise<ContactWriteResult> {
    const command: LinkIdentity = { type: 'LinkIdentity', data: { ...data, linkedAt: context.occurredAt } };
    const result = await this.eventStore.handle(contactStreamName(data.contactId), contactDecider, command, context);
    return contactWritten(data.contactId, result);
  }
}
