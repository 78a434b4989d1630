import { given, stateAfter } from '../testing/given-when-then';
import type { AssociateContact, AssociateContactByEmailDomain, CreateAccount } from './commands';
import { accountDecider } from './decide';
import type { AccountCreated, ContactAssociated, Firmographics } from './events';

const ACCOUNT = 'acme';
const CREATED_AT = '2024-02-01T08:00:00.000Z';
const LATER = '2024-03-01T09:00:00.000Z';

const ACME_FIRMOGRAPHICS: Firmographics = {
  industry: 'Manufacturing',
  employeeBand: '201-500',
  country: 'GB',
  annualRevenue: { amountMinor: 4_500_000_000, currency: 'GBP' },
};

const accountCreated = (data: Partial<AccountCreated['data']> = {}): AccountCreated => ({
  type: 'AccountCreated',
  data: {
    accountId: ACCOUNT,
    name: 'Acme Ltd',
    domain: 'acme.co.uk',
    firmographics: ACME_FIRMOGRAPHICS,
    createdAt: CREATED_AT,
    ...data,
  },
});

const associated = (data: Partial<ContactAssociated['data']> = {}): ContactAssociated => ({
  type: 'ContactAssociated',
  data: { accountId: ACCOUNT, contactId: 'ada', matchedBy: 'explicit', emailDomain: null, associatedAt: LATER, ...data },
});

const createAccount = (data: Partial<CreateAccount['data']> = {}): CreateAccount => ({
  type: 'CreateAccount',
  data: {
    accountId: ACCOUNT,
    name: 'Acme Ltd',
    domain: 'acme.co.uk',
    firmographics: ACME_FIRMOGRAPHICS,
    createdAt: CREATED_AT,
    ...data,
  },
});

const associateContact = (contactId = 'ada'): AssociateContact => ({
  type: 'AssociateContact',
  data: { accountId: ACCOUNT, contactId, associatedAt: LATER },
});

const associateByEmail = (email: string, contactId = 'ada'): AssociateContactByEmailDomain => ({
  type: 'AssociateContactByEmailDomain',
  data: { accountId: ACCOUNT, contactId, email, associatedAt: LATER },
});

describe('Account', () => {
  describe('when created', () => {
    it('records the company with its domain and firmographics', () => {
      given(accountDecider).when(createAccount()).then(accountCreated());
    });

    it('normalises the domain', () => {
      given(accountDecider).when(createAccount({ domain: ' WWW.Acme.co.uk ' })).then(accountCreated());
    });

    it('records unknown firmographics as null', () => {
      given(accountDecider)
        .when(createAccount({ firmographics: undefined }))
        .then(accountCreated({ firmographics: { industry: null, employeeBand: null, country: null, annualRevenue: null } }));
    });

    it('refuses to create the same account twice', () => {
      given(accountDecider, accountCreated()).when(createAccount()).thenThrows('ACCOUNT_ALREADY_EXISTS');
    });

    it('refuses a free-mail domain, which names no company', () => {
      given(accountDecider).when(createAccount({ domain: 'gmail.com' })).thenThrows('FREE_MAIL_DOMAIN', 'domain');
    });

    it('refuses an account without a domain', () => {
      given(accountDecider).when(createAccount({ domain: ' ' })).thenThrows('REQUIRED_FIELD_MISSING', 'domain');
    });

    it('refuses a URL in place of a domain', () => {
      given(accountDecider).when(createAccount({ domain: 'https://acme.co.uk/about' })).thenThrows('INVALID_DOMAIN', 'domain');
    });

    it('refuses an account without a name', () => {
      given(accountDecider).when(createAccount({ name: '' })).thenThrows('REQUIRED_FIELD_MISSING', 'name');
    });

    it('refuses an employee band that is not on the list', () => {
      given(accountDecider)
        .when(createAccount({ firmographics: { employeeBand: '200-500' as '201-500' } }))
        .thenThrows('UNSUPPORTED_VALUE', 'firmographics.employeeBand');
    });

    it('refuses a country that is not an ISO 3166 code', () => {
      given(accountDecider)
        .when(createAccount({ firmographics: { country: 'UK' } }))
        .thenThrows('INVALID_COUNTRY', 'firmographics.country');
    });

    it('refuses annual revenue in a currency that does not exist', () => {
      given(accountDecider)
        .when(createAccount({ firmographics: { annualRevenue: { amountMinor: 100, currency: 'XYZ' } } }))
        .thenThrows('INVALID_CURRENCY', 'firmographics.annualRevenue.currency');
    });

    it('refuses negative annual revenue', () => {
      given(accountDecider)
        .when(createAccount({ firmographics: { annualRevenue: { amountMinor: -1, currency: 'GBP' } } }))
        .thenThrows('INVALID_AMOUNT', 'firmographics.annualRevenue.amountMinor');
    });
  });

  describe('when its history is replayed', () => {
    it('ignores an association recorded before the account, so a replay never breaks', () => {
      expect(stateAfter(accountDecider, associated())).toEqual(accountDecider.initialState());
    });
  });

  describe('when a contact is associated by hand', () => {
    it('records the association', () => {
      given(accountDecider, accountCreated()).when(associateContact()).then(associated());
    });

    it('records each contact once', () => {
      given(accountDecider, accountCreated(), associated()).when(associateContact()).then();
    });

    it('refuses an account that was never created', () => {
      given(accountDecider).when(associateContact()).thenThrows('ACCOUNT_NOT_FOUND');
    });

    it('refuses an empty contact id', () => {
      given(accountDecider, accountCreated()).when(associateContact('')).thenThrows('REQUIRED_FIELD_MISSING', 'contactId');
    });
  });

  describe('when a contact is associated by email domain', () => {
    it('records a contact whose email is at the account domain', () => {
      given(accountDecider, accountCreated())
        .when(associateByEmail('Ada@Acme.co.uk'))
        .then(associated({ matchedBy: 'email_domain', emailDomain: 'acme.co.uk' }));
    });

    it('matches a subdomain of the account domain', () => {
      given(accountDecider, accountCreated())
        .when(associateByEmail('ada@eu.acme.co.uk'))
        .then(associated({ matchedBy: 'email_domain', emailDomain: 'acme.co.uk' }));
    });

    it('records nothing for a contact already associated', () => {
      given(accountDecider, accountCreated(), associated()).when(associateByEmail('ada@acme.co.uk')).then();
    });

    it('never associates a free-mail address', () => {
      given(accountDecider, accountCreated()).when(associateByEmail('ada@yahoo.co.uk')).thenThrows('FREE_MAIL_DOMAIN', 'email');
    });

    it('refuses an address at another company', () => {
      given(accountDecider, accountCreated()).when(associateByEmail('ada@acme-rival.co.uk')).thenThrows('EMAIL_DOMAIN_MISMATCH', 'email');
    });

    it('refuses a malformed address', () => {
      given(accountDecider, accountCreated()).when(associateByEmail('ada')).thenThrows('INVALID_EMAIL', 'email');
    });

    it('refuses an account that was never created', () => {
      given(accountDecider).when(associateByEmail('ada@acme.co.uk')).thenThrows('ACCOUNT_NOT_FOUND');
    });
  });
});
