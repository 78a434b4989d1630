import type { RecordedEnvelope } from '@revops/event-store';
import { anEnvelope } from '../runner/testing/envelopes';
import { accountChanges } from './accounts.projection';

function event(commit: number, revision: bigint, type: string, data: Record<string, unknown>, occurredAt: string): RecordedEnvelope {
  return anEnvelope(commit, {
    streamName: 'account-acme',
    revision,
    type,
    data: { accountId: 'acme', ...data },
    metadata: { ...anEnvelope(commit).metadata, occurredAt },
  });
}

const created = (firmographics: Record<string, unknown> = {}) =>
  event(
    10,
    0n,
    'AccountCreated',
    {
      name: 'Acme Corp',
      domain: 'acme.com',
      firmographics: { industry: 'Manufacturing', employeeBand: '201-500', country: 'DE', annualRevenue: null, ...firmographics },
      createdAt: '2024-02-01T09:00:00.000Z',
    },
    '2024-02-01T09:00:00.000Z',
  );

const associated = (commit: number, revision: bigint, contactId: string, occurredAt: string) =>
  event(
    commit,
    revision,
    'ContactAssociated',
    { contactId, matchedBy: 'explicit', emailDomain: null, associatedAt: occurredAt },
    occurredAt,
  );

describe('accounts projection', () => {
  describe('when an account is created', () => {
    it('writes its name, domain, firmographics and business time', () => {
      expect(accountChanges([created({ annualRevenue: { amountMinor: 5_000_000_000, currency: 'EUR' } })])).toEqual({
        accounts: [
          {
            accountId: 'acme',
            name: 'Acme Corp',
            domain: 'acme.com',
            industry: 'Manufacturing',
            employeeBand: '201-500',
            country: 'DE',
            annualRevenueMinor: 5_000_000_000,
            annualRevenueCurrency: 'EUR',
            createdAt: '2024-02-01T09:00:00.000Z',
            updatedAt: '2024-02-01T09:00:00.000Z',
            streamRevision: 0n,
          },
        ],
        touches: [],
      });
    });

    it('leaves unknown firmographics empty', () => {
      const [account] = accountChanges([created({ industry: null, employeeBand: null, country: null })]).accounts;

      expect(account).toMatchObject({ industry: null, employeeBand: null, country: null, annualRevenueMinor: null, annualRevenueCurrency: null });
    });
  });

  describe('when a contact is associated in the batch that creates the account', () => {
    it('moves the new row to the latest revision', () => {
      const { accounts, touches } = accountChanges([created(), associated(11, 1n, 'c-1', '2024-02-02T10:00:00.000Z')]);

      expect(accounts).toEqual([expect.objectContaining({ accountId: 'acme', updatedAt: '2024-02-02T10:00:00.000Z', streamRevision: 1n })]);
      expect(touches).toEqual([]);
    });
  });

  describe('when contacts are associated with an account created earlier', () => {
    it('touches it once, at its last revision', () => {
      const { accounts, touches } = accountChanges([
        associated(20, 1n, 'c-1', '2024-02-02T10:00:00.000Z'),
        associated(21, 2n, 'c-2', '2024-02-03T10:00:00.000Z'),
      ]);

      expect(accounts).toEqual([]);
      expect(touches).toEqual([{ accountId: 'acme', updatedAt: '2024-02-03T10:00:00.000Z', streamRevision: 2n }]);
    });
  });

  describe('when an event type is unknown', () => {
    it('refuses the batch, naming the type', () => {
      expect(() => accountChanges([event(30, 3n, 'AccountRenamed', {}, '2024-03-01T00:00:00.000Z')])).toThrow(
        'accounts projection cannot apply event type AccountRenamed',
      );
    });
  });
});
