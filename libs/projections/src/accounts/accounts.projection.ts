import type { AccountEvent } from '@revops/domain';
import type { RecordedEnvelope } from '@revops/event-store';

/** One company as CRM screens show it, with the firmographics it was created with. */
export interface AccountRow {
  readonly accountId: string;
  readonly name: string;
  readonly domain: string;
  readonly industry: string | null;
  readonly employeeBand: string | null;
  readonly country: string | null;
  readonly annualRevenueMinor: number | null;
  readonly annualRevenueCurrency: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly streamRevision: bigint;
}

/**
 * A later event on the stream of an account the batch did not create: only the account's
 * revision and last change move. Its contacts are the contacts projection's concern.
 */
export interface AccountTouchRow {
  readonly accountId: string;
  readonly updatedAt: string;
  readonly streamRevision: bigint;
}

export interface AccountChanges {
  readonly accounts: readonly AccountRow[];
  readonly touches: readonly AccountTouchRow[];
}

/** Folds a batch of account events into rows for the accounts it created and touches for the others. */
export function accountChanges(events: readonly RecordedEnvelope[]): AccountChanges {
  const accounts = new Map<string, AccountRow>();
  const touches = new Map<string, AccountTouchRow>();

  for (const envelope of events) {
    const event = envelope as unknown as AccountEvent;
    const at = envelope.metadata.occurredAt;
    switch (event.type) {
      case 'AccountCreated': {
        const { accountId, name, domain, firmographics } = event.data;
        accounts.set(accountId, {
          accountId,
          name,
          domain,
          industry: firmographics.industry,
          employeeBand: firmographics.employeeBand,
          country: firmographics.country,
          annualRevenueMinor: firmographics.annualRevenue?.amountMinor ?? null,
          annualRevenueCurrency: firmographics.annualRevenue?.currency ?? null,
          createdAt: at,
          updatedAt: at,
          streamRevision: envelope.revision,
        });
        break;
      }
      case 'ContactAssociated': {
        const { accountId } = event.data;
        const created = accounts.get(accountId);
        if (created) accounts.set(accountId, { ...created, updatedAt: at, streamRevision: envelope.revision });
        else touches.set(accountId, { accountId, updatedAt: at, streamRevision: envelope.revision });
        break;
      }
      default:
        assertNever(event);
    }
  }
  return { accounts: [...accounts.values()], touches: [...touches.values()] };
}

// Anything else on an account stream is an event this version does not know: failing stalls
// the projection with the event named, rather than leaving accounts stale.
function assertNever(event: never): never {
  throw new Error(`accounts projection cannot apply event type ${(event as { type: string }).type}`);
}
