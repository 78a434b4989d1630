import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCaller, Caller } from '../common/api-caller';
import { PositionInput, positionOf } from '../common/read-side/position.input';
import { accountIdForDomain } from './account-ids';
import { AssociateContactWithAccountCommand } from './commands/associate-contact-with-account.handler';
import { CreateAccountCommand } from './commands/create-account.handler';
import { Account } from './graphql/account-read.types';
import { AccountReceipt, AssociateContactWithAccountInput, CreateAccountInput } from './graphql/account.types';
import { AccountQuery } from './queries/account.query';

@Resolver()
export class AccountsResolver {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Query(() => Account, { nullable: true, description: 'A company with its contacts and deals; null when there is none with this id' })
  account(
    @Args('id', { type: () => ID }) id: string,
    @Args('minPosition', { type: () => PositionInput, nullable: true }) minPosition?: PositionInput | null,
  ): Promise<Account | null> {
    return this.queryBus.execute(new AccountQuery(id, positionOf(minPosition)));
  }

  @Mutation(() => AccountReceipt, {
    description: 'Creates a company account. Leads captured with an address at a company domain create theirs on their own',
  })
  createAccount(@Args('input') input: CreateAccountInput, @Caller() caller: ApiCaller): Promise<AccountReceipt> {
    const { accountId, name, domain, firmographics } = input;
    return this.commandBus.execute(
      new CreateAccountCommand(
        { accountId: accountId ?? accountIdForDomain(domain), name, domain, firmographics: firmographics ?? undefined },
        caller.commandContext(input.occurredAt),
      ),
    );
  }

  @Mutation(() => AccountReceipt, { description: 'Associates an existing contact with an account by hand' })
  associateContactWithAccount(
    @Args('input') input: AssociateContactWithAccountInput,
    @Caller() caller: ApiCaller,
  ): Promise<AccountReceipt> {
    const { accountId, contactId } = input;
    return this.commandBus.execute(
      new AssociateContactWithAccountCommand({ accountId, contactId }, caller.commandContext(input.occurredAt)),
    );
  }
}
