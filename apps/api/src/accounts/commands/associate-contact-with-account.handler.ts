import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { accountDecider, accountStreamName, contactNotFound, contactStreamName, type AssociateContact } from '@revops/domain';
import { EventStore } from '@revops/event-store';
import type { WriteContext } from '../../common/api-caller';
import { firstEventOf } from '../../common/stream-reads';
import { accountWritten, type AccountWriteResult } from './account-write-result';

export class AssociateContactWithAccountCommand extends Command<AccountWriteResult> {
  constructor(
    readonly data: { readonly accountId: string; readonly contactId: string },
    readonly context: WriteContext,
  ) {
    super();
  }
}

@CommandHandler(AssociateContactWithAccountCommand)
export class AssociateContactWithAccountHandler implements ICommandHandler<AssociateContactWithAccountCommand> {
  constructor(private readonly eventStore: EventStore) {}

  async execute({ data, context }: AssociateContactWithAccountCommand): Promise<AccountWriteResult> {
    if ((await firstEventOf(this.eventStore, contactStreamName(data.contactId))) === null) throw contactNotFound(data.contactId);
    const command: AssociateContact = { type: 'AssociateContact', data: { ...data, associatedAt: context.occurredAt } };
    const result = await this.eventStore.handle(accountStreamName(data.accountId), accountDecider, command, context);
    return accountWritten(data.accountId, result);
  }
}
