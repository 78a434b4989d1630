import type { Money } from '../shared/money';
import type { UtcTimestamp } from '../shared/time';

export const employeeBands = ['1-10', '11-50', '51-200', '201-500', '501-1000', '1001-5000', '5001-10000', '10001+'] as const;
export type EmployeeBand = (typeof employeeBands)[number];

/** What segments the account for targeting and reporting; unknown parts are null. */
export type Firmographics = {
  readonly industry: string | null;
  readonly employeeBand: EmployeeBand | null;
  /** ISO 3166-1 alpha-2. */
  readonly country: string | null;
  readonly annualRevenue: Money | null;
};

export type AccountCreated = {
  type: 'AccountCreated';
  data: {
    accountId: string;
    name: string;
    /** Lower-case web domain without `www.`, never a free-mail domain. */
    domain: string;
    firmographics: Firmographics;
    createdAt: UtcTimestamp;
  };
};

/** `email_domain` associations record the matched domain, never the address itself. */
export type ContactAssociated = {
  type: 'ContactAssociated';
  data: {
    accountId: string;
    contactId: string;
    matchedBy: 'explicit' | 'email_domain';
    emailDomain: string | null;
    associatedAt: UtcTimestamp;
  };
};

export type AccountEvent = AccountCreated | ContactAssociated;

export const accountEventSchemaVersions = {
  AccountCreated: 1,
  ContactAssociated: 1,
} as const satisfies Record<AccountEvent['type'], number>;
