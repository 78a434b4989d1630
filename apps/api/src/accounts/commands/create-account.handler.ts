import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { accountDecider, accountStreamName, type CreateAccount } from '@revops/domain';
import { EventStore } from '@revops/event-store';
import type { WriteContext } from '../../common/api-caller';
import { accountWritten, type AccountWriteResult } from './account-write-result';

export class CreateAccountCommand extends Command<AccountWriteResult> {
  constructor(
    readonly data: Omit<CreateAccount['data'], 'createdAt'>,
    readonly context: WriteContext,
  ) {
    super();
  }
}

@CommandHandler(CreateAccountCommand)
export class CreateAccountHandler implements ICommandHandler<CreateAccountCommand> {
  constructor(private readonly eventStore: EventStore) {}

  async execute({ data, context }: CreateAccountCommand): Promise<AccountWriteResult> {
    const command: CreateAccount = { type: 'CreateAccount', data: { ...data, createdAt: context.occurredAt } };
    const result = await this.eventStore.handle(accountStreamName(data.accountId), accountDecider, command, context);
    return accountWritten(data.accountId, result);
  }
}
