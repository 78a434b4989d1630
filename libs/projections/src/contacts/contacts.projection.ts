import { movesBack, type AccountEvent, type ContactDetails, type ContactEvent, type LifecycleStage } from '@revops/domain';
import type { RecordedEnvelope } from '@revops/event-store';

export type SalesVerdict = 'accepted' | 'rejected';

/** One person as CRM screens show them, in the order the write side decided (stream order). */
export interface ContactRow {
  readonly contactId: string;
  readonly email: string;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly jobTitle: string | null;
  readonly phone: string | null;
  readonly companyName: string | null;
  readonly lifecycleStage: LifecycleStage;
  readonly score: number | null;
  /** Sales' verdict on the current hand-off; a move back in the lifecycle clears it. */
  readonly salesVerdict: SalesVerdict | null;
  readonly salesVerdictAt: string | null;
  /** The touch that made the person a lead: lead quality is grouped by its source and campaign. */
  readonly convertingTouchpointId: string | null;
  readonly convertingSource: string | null;
  readonly convertingCampaignId: string | null;
  readonly mergedIntoContactId: string | null;
  readonly capturedAt: string;
  readonly updatedAt: string;
  readonly streamRevision: bigint;
}

/** An anonymous id (cookie, device, hashed email) that stands for the contact. */
export interface IdentityLinkRow {
  readonly anonymousId: string;
  readonly contactId: string;
  readonly linkedAt: string;
}

/** The survivor takes over the merged contact's links in the writer, which holds them. */
export interface MergeRow {
  readonly survivorContactId: string;
  readonly mergedContactId: string;
  readonly mergedAt: string;
}

/**
 * When a contact was at a stage, in business time. Recycling enters a stage again: the
 * first time stays, the last time and the count move.
 */
export interface LifecycleStageRow {
  readonly contactId: string;
  readonly stage: LifecycleStage;
  readonly firstEnteredAt: string;
  readonly lastEnteredAt: string;
  /** Entries in this batch; the writer adds them to the stored count. */
  readonly entries: number;
}

/** One verdict of sales on a lead; every hand-off's verdict is kept. */
export interface LeadDecisionRow {
  readonly eventId: string;
  readonly contactId: string;
  readonly decision: SalesVerdict;
  readonly reason: string | null;
  readonly note: string | null;
  readonly decidedBy: string;
  readonly decidedAt: string;
  /** `$all` commit position: orders verdicts given at the same instant as they were recorded. */
  readonly commitPosition: string;
  /** The stage the lead was judged at (mql or sql). */
  readonly lifecycleStage: LifecycleStage;
}

/** From the account streams: the writer derives each contact's current account from these. */
export interface AccountAssociationRow {
  readonly contactId: string;
  readonly accountId: string;
  readonly matchedBy: string;
  readonly associatedAt: string;
  readonly commitPosition: string;
}

export interface ContactChanges {
  /** The new state of every contact the batch's contact events touched. */
  readonly contacts: readonly ContactRow[];
  readonly identityLinks: readonly IdentityLinkRow[];
  readonly merges: readonly MergeRow[];
  readonly lifecycleStages: readonly LifecycleStageRow[];
  readonly decisions: readonly LeadDecisionRow[];
  readonly accountAssociations: readonly AccountAssociationRow[];
}

type ConsumedEvent = ContactEvent | AccountEvent;

type OptionalDetail = Exclude<keyof ContactDetails, 'email'>;

/** The contact ids whose stored rows a batch needs: those named by its contact-stream events. */
export function contactIdsOf(events: readonly RecordedEnvelope[]): string[] {
  const ids = events
    .filter((envelope) => envelope.streamName.startsWith('contact-'))
    .map((envelope) => (envelope.data as { contactId: string }).contactId);
  return [...new Set(ids)];
}

/** Folds a batch of contact and account events onto the stored rows of the contacts it touches. */
export function contactChanges(current: ReadonlyMap<string, ContactRow>, events: readonly RecordedEnvelope[]): ContactChanges {
  const touched = new Map<string, ContactRow>();
  const identityLinks = new Map<string, IdentityLinkRow>();
  const merges: MergeRow[] = [];
  const lifecycle = new Map<string, LifecycleStageRow>();
  const decisions: LeadDecisionRow[] = [];
  const accountAssociations: AccountAssociationRow[] = [];

  const enter = (contactId: string, stage: LifecycleStage, at: string) => {
    const key = `${contactId}\u0000${stage}`;
    const previous = lifecycle.get(key);
    lifecycle.set(key, {
      contactId,
      stage,
      // Business time, not arrival: a backdated move can be the earliest entry.
      firstEnteredAt: previous && Date.parse(previous.firstEnteredAt) < Date.parse(at) ? previous.firstEnteredAt : at,
      lastEnteredAt: previous && Date.parse(previous.lastEnteredAt) > Date.parse(at) ? previous.lastEnteredAt : at,
      entries: (previous?.entries ?? 0) + 1,
    });
  };

  for (const envelope of events) {
    const event = envelope as unknown as ConsumedEvent;
    const at = envelope.metadata.occurredAt;
    const known = (contactId: string): ContactRow => {
      const row = touched.get(contactId) ?? current.get(contactId);
      // The write side only appends to a captured contact, so a missing row means the log and
      // this projection disagree: failing stalls it with the event named instead of guessing.
      if (!row) throw new Error(`contacts projection got ${event.type} for unknown contact ${contactId}`);
      return { ...row, updatedAt: at, streamRevision: envelope.revision };
    };

    switch (event.type) {
      case 'LeadCaptured': {
        const { data } = event;
        touched.set(data.contactId, {
          contactId: data.contactId,
          ...data.details,
          lifecycleStage: data.lifecycleStage,
          score: null,
          salesVerdict: null,
          salesVerdictAt: null,
          convertingTouchpointId: data.convertingTouch?.touchpointId ?? null,
          convertingSource: data.convertingTouch?.source ?? null,
          convertingCampaignId: data.convertingTouch?.campaignId ?? null,
          mergedIntoContactId: null,
          capturedAt: at,
          updatedAt: at,
          streamRevision: envelope.revision,
        });
        enter(data.contactId, data.lifecycleStage, at);
        break;
      }
      case 'ContactUpdated': {
        const row = known(event.data.contactId);
        const { changes } = event.data;
        // A field present with null was cleared; a field left out is unchanged.
        const changed = <Field extends OptionalDetail>(field: Field): ContactRow[Field] =>
          field in changes ? (changes[field] ?? null) : row[field];
        touched.set(row.contactId, {
          ...row,
          email: changes.email ?? row.email,
          firstName: changed('firstName'),
          lastName: changed('lastName'),
          jobTitle: changed('jobTitle'),
          phone: changed('phone'),
          companyName: changed('companyName'),
        });
        break;
      }
      case 'IdentityLinked': {
        const { contactId, anonymousId } = event.data;
        touched.set(contactId, known(contactId));
        const key = `${anonymousId}\u0000${contactId}`;
        if (!identityLinks.has(key)) identityLinks.set(key, { anonymousId, contactId, linkedAt: at });
        break;
      }
      case 'LeadScored':
        touched.set(event.data.contactId, { ...known(event.data.contactId), score: event.data.score });
        break;
      case 'LifecycleStageChanged': {
        const { contactId, from, to } = event.data;
        const row = known(contactId);
        // The domain voids sales' verdict on a move back, so the next hand-off is judged afresh.
        const cleared = movesBack(from, to) ? { salesVerdict: null, salesVerdictAt: null } : {};
        touched.set(contactId, { ...row, lifecycleStage: to, ...cleared });
        enter(contactId, to, at);
        break;
      }
      case 'LeadAcceptedBySales': {
        const row = known(event.data.contactId);
        touched.set(row.contactId, { ...row, salesVerdict: 'accepted', salesVerdictAt: at });
        decisions.push({
          eventId: envelope.eventId,
          contactId: row.contactId,
          decision: 'accepted',
          reason: null,
          note: null,
          decidedBy: event.data.acceptedBy,
          decidedAt: at,
          commitPosition: envelope.position.commit.toString(),
          lifecycleStage: row.lifecycleStage,
        });
        break;
      }
      case 'LeadRejectedBySales': {
        const row = known(event.data.contactId);
        touched.set(row.contactId, { ...row, salesVerdict: 'rejected', salesVerdictAt: at });
        decisions.push({
          eventId: envelope.eventId,
          contactId: row.contactId,
          decision: 'rejected',
          reason: event.data.reason,
          note: event.data.note,
          decidedBy: event.data.rejectedBy,
          decidedAt: at,
          commitPosition: envelope.position.commit.toString(),
          lifecycleStage: row.lifecycleStage,
        });
        break;
      }
      case 'ContactMerged': {
        const { contactId, mergedContactId } = event.data;
        touched.set(contactId, known(contactId));
        merges.push({ survivorContactId: contactId, mergedContactId, mergedAt: at });
        break;
      }
      case 'ContactMergedInto':
        touched.set(event.data.contactId, { ...known(event.data.contactId), mergedIntoContactId: event.data.survivorContactId });
        break;
      case 'AccountCreated':
        // The company itself is not a contact's concern; only its associations are.
        break;
      case 'ContactAssociated':
        accountAssociations.push({
          contactId: event.data.contactId,
          accountId: event.data.accountId,
          matchedBy: event.data.matchedBy,
          associatedAt: at,
          commitPosition: envelope.position.commit.toString(),
        });
        break;
      default:
        assertNever(event);
    }
  }

  return {
    contacts: [...touched.values()],
    identityLinks: [...identityLinks.values()],
    merges,
    lifecycleStages: [...lifecycle.values()],
    decisions,
    accountAssociations,
  };
}

// Anything else on a contact or account stream is an event this version does not know:
// failing stalls the projection with the event named, rather than leaving contacts stale.
function assertNever(event: never): never {
  throw new Error(`contacts projection cannot apply event type ${(event as { type: string }).type}`);
}
