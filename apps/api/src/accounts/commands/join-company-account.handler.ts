import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  accountDecider,
  accountDomainForEmail,
  accountStreamName,
  type AccountEvent,
  type AccountState,
  type AssociateContactByEmailDomain,
  type CreateAccount,
  type Decider,
} from '@revops/domain';
import { EventStore } from '@revops/event-store';
import type { WriteContext } from '../../common/api-caller';
import { accountIdForDomain } from '../account-ids';
import { accountWritten, type AccountWriteResult } from './account-write-result';

/** A new lead joins the account of the company its email address is at. */
export class JoinCompanyAccountCommand extends Command<AccountWriteResult | null> {
  constructor(
    readonly data: { readonly contactId: string; readonly email: string; readonly companyName: string | null },
    readonly context: WriteContext,
  ) {
    super();
  }
}

type JoinCompany = { readonly create: CreateAccount; readonly associate: AssociateContactByEmailDomain };

/**
 * The first lead from a domain creates the company's account; every lead is associated
 * with it. Both are decided on one read and appended together, so an account never
 * appears without the contact that brought it.
 */
const companyAccountDecider: Decider<JoinCompany, AccountEvent, AccountState> = {
  initialState: accountDecider.initialState,
  evolve: accountDecider.evolve,
  decide({ create, associate }, state) {
    const created = state.status === 'unknown' ? accountDecider.decide(create, state) : [];
    const withAccount = created.reduce(accountDecider.evolve, state);
    return [...created, ...accountDecider.decide(associate, withAccount)];
  },
};

// Every lead from one company lands on the same account stream, and imports capture
// many at once: allow more attempts than a single user's edit would need.
const COMPANY_ACCOUNT_RETRIES = 10;

/** Returns null for free-mail addresses, which say nothing about an employer. */
@CommandHandler(JoinCompanyAccountCommand)
export class JoinCompanyAccountHandler implements ICommandHandler<JoinCompanyAccountCommand> {
  constructor(private readonly eventStore: EventStore) {}

  async execute({ data, context }: JoinCompanyAccountCommand): Promise<AccountWriteResult | null> {
    const domain = accountDomainForEmail(data.email);
    if (domain === null) return null;
    const accountId = accountIdForDomain(domain);
    const at = context.occurredAt;
    const command: JoinCompany = {
      create: { type: 'CreateAccount', data: { accountId, name: data.companyName ?? domain, domain, createdAt: at } },
      associate: {
        type: 'AssociateContactByEmailDomain',
        data: { accountId, contactId: data.contactId, email: data.email, associatedAt: at },
      },
    };
    const result = await this.eventStore.handle(accountStreamName(accountId), companyAccountDecider, command, context, {
      maxRetries: COMPANY_ACCOUNT_RETRIES,
    });
    return accountWritten(accountId, result);
  }
}
