import { assertNever, type Decider } from '../shared/decider';
import { optionalMoney } from '../shared/money';
import { utcTimestamp } from '../shared/time';
import { countryCode, emailAddress, optionalOneOf, optionalText, requiredId, requiredText, webDomain } from '../shared/validation';
import type { AccountCommand, AssociateContact, AssociateContactByEmailDomain, CreateAccount } from './commands';
import { isFreeMailDomain, registrableDomain } from './email-domain';
import { accountAlreadyExists, accountNotFound, emailDomainMismatch, freeMailDomain } from './errors';
import { employeeBands, type AccountEvent } from './events';
import { evolve, initial, type AccountState } from './state';

type ActiveAccount = Extract<AccountState, { status: 'active' }>;

function createAccount({ data }: CreateAccount, state: AccountState): AccountEvent[] {
  if (state.status !== 'unknown') {
    throw accountAlreadyExists(data.accountId);
  }
  const domain = webDomain(data.domain, 'domain');
  if (isFreeMailDomain(domain)) {
    throw freeMailDomain('domain', domain);
  }
  const firmographics = data.firmographics ?? {};
  return [
    {
      type: 'AccountCreated',
      data: {
        accountId: requiredId(data.accountId, 'accountId'),
        name: requiredText(data.name, 'name', 200),
        domain,
        firmographics: {
          industry: optionalText(firmographics.industry, 'firmographics.industry', 100),
          employeeBand: optionalOneOf(firmographics.employeeBand, employeeBands, 'firmographics.employeeBand'),
          country: firmographics.country == null ? null : countryCode(firmographics.country, 'firmographics.country'),
          annualRevenue: optionalMoney(firmographics.annualRevenue, 'firmographics.annualRevenue'),
        },
        createdAt: utcTimestamp(data.createdAt, 'createdAt'),
      },
    },
  ];
}

function associateContact({ data }: AssociateContact, account: ActiveAccount): AccountEvent[] {
  const contactId = requiredId(data.contactId, 'contactId');
  const associatedAt = utcTimestamp(data.associatedAt, 'associatedAt');
  if (account.contactIds.has(contactId)) {
    return [];
  }
  const { accountId } = account;
  return [{ type: 'ContactAssociated', data: { accountId, contactId, matchedBy: 'explicit', emailDomain: null, associatedAt } }];
}

/** Matches on registrable domains, so jane@eu.acme.com joins the account at acme.com. */
function associateContactByEmailDomain({ data }: AssociateContactByEmailDomain, account: ActiveAccount): AccountEvent[] {
  const contactId = requiredId(data.contactId, 'contactId');
  const email = emailAddress(data.email, 'email');
  const associatedAt = utcTimestamp(data.associatedAt, 'associatedAt');
  const host = email.slice(email.lastIndexOf('@') + 1);
  if (isFreeMailDomain(host)) {
    throw freeMailDomain('email', host);
  }
  const emailDomain = registrableDomain(host);
  const accountDomain = registrableDomain(account.domain);
  if (emailDomain === null || emailDomain !== accountDomain) {
    throw emailDomainMismatch(host, account.domain);
  }
  if (account.contactIds.has(contactId)) {
    return [];
  }
  const { accountId } = account;
  return [{ type: 'ContactAssociated', data: { accountId, contactId, matchedBy: 'email_domain', emailDomain, associatedAt } }];
}

function activeAccount(state: AccountState, accountId: string): ActiveAccount {
  if (state.status !== 'active') {
    throw accountNotFound(accountId);
  }
  return state;
}

export function decide(command: AccountCommand, state: AccountState): AccountEvent[] {
  switch (command.type) {
    case 'CreateAccount':
      return createAccount(command, state);
    case 'AssociateContact':
      return associateContact(command, activeAccount(state, command.data.accountId));
    case 'AssociateContactByEmailDomain':
      return associateContactByEmailDomain(command, activeAccount(state, command.data.accountId));
    default:
      return assertNever(command);
  }
}

export const accountDecider: Decider<AccountCommand, AccountEvent, AccountState> = { initialState: initial, evolve, decide };
