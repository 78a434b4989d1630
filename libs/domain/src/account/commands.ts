import type { Money } from '../shared/money';
import type { UtcTimestamp } from '../shared/time';
import type { EmployeeBand } from './events';

export type CreateAccount = {
  type: 'CreateAccount';
  data: {
    accountId: string;
    name: string;
    domain: string;
    firmographics?: {
      industry?: string | null;
      employeeBand?: EmployeeBand | null;
      country?: string | null;
      annualRevenue?: Money | null;
    };
    createdAt: UtcTimestamp;
  };
};

/** A person at the company, linked by hand (CRM, sales rep). */
export type AssociateContact = {
  type: 'AssociateContact';
  data: { accountId: string; contactId: string; associatedAt: UtcTimestamp };
};

/** Sent automatically when a contact's email is at the account's domain. */
export type AssociateContactByEmailDomain = {
  type: 'AssociateContactByEmailDomain';
  data: { accountId: string; contactId: string; email: string; associatedAt: UtcTimestamp };
};

export type AccountCommand = CreateAccount | AssociateContact | AssociateContactByEmailDomain;
