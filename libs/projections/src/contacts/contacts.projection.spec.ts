import type { RecordedEnvelope } from '@revops/event-store';
import { anEnvelope } from '../runner/testing/envelopes';
import { contactChanges, contactIdsOf, type ContactRow } from './contacts.projection';

const ID = 'ada';
let revision = 0n;

/** 09:00 UTC on a day of 2024 (`03-10`). */
const on = (day: string) => `2024-${day}T09:00:00.000Z`;

function contactEvent(commit: number, type: string, data: Record<string, unknown>, occurredAt: string, contactId = ID): RecordedEnvelope {
  return anEnvelope(commit, {
    streamName: `contact-${contactId}`,
    revision: revision++,
    type,
    data: { contactId, ...data },
    metadata: { ...anEnvelope(commit).metadata, occurredAt },
  });
}

const captured = (commit = 10, occurredAt = on('03-01'), contactId = ID) =>
  contactEvent(
    commit,
    'LeadCaptured',
    {
      details: { email: 'ada@acme.example', firstName: 'Ada', lastName: 'Lovelace', jobTitle: null, phone: null, companyName: 'Acme' },
      lifecycleStage: 'lead',
      convertingTouch: { touchpointId: 'tp-1', source: 'segment', campaignId: 'spring-webinar' },
      capturedAt: occurredAt,
    },
    occurredAt,
    contactId,
  );
const stageChanged = (commit: number, from: string, to: string, occurredAt: string, reason: string | null = null) =>
  contactEvent(commit, 'LifecycleStageChanged', { from, to, reason, changedAt: occurredAt }, occurredAt);
const rejected = (commit: number, occurredAt: string) =>
  contactEvent(commit, 'LeadRejectedBySales', { reason: 'NO_BUDGET', note: 'next fiscal year', rejectedBy: 'rep-1', rejectedAt: occurredAt }, occurredAt);
const accepted = (commit: number, occurredAt: string) =>
  contactEvent(commit, 'LeadAcceptedBySales', { acceptedBy: 'rep-2', acceptedAt: occurredAt }, occurredAt);
const associated = (commit: number, contactId: string, accountId: string, occurredAt: string) =>
  anEnvelope(commit, {
    streamName: `account-${accountId}`,
    type: 'ContactAssociated',
    data: { accountId, contactId, matchedBy: 'email_domain', emailDomain: 'acme.example', associatedAt: occurredAt },
    metadata: { ...anEnvelope(commit).metadata, occurredAt },
  });

const none: ReadonlyMap<string, ContactRow> = new Map();
const project = (events: RecordedEnvelope[], current = none) => contactChanges(current, events);

describe('contacts projection', () => {
  beforeEach(() => {
    revision = 0n;
  });

  describe('when a lead is captured', () => {
    it('writes the contact with its details, stage and converting touch', () => {
      expect(project([captured()]).contacts).toEqual([
        {
          contactId: ID,
          email: 'ada@acme.example',
          firstName: 'Ada',
          lastName: 'Lovelace',
          jobTitle: null,
          phone: null,
          companyName: 'Acme',
          lifecycleStage: 'lead',
          score: null,
          salesVerdict: null,
          salesVerdictAt: null,
          convertingTouchpointId: 'tp-1',
          convertingSource: 'segment',
          convertingCampaignId: 'spring-webinar',
          mergedIntoContactId: null,
          capturedAt: on('03-01'),
          updatedAt: on('03-01'),
          streamRevision: 0n,
        },
      ]);
    });

    it('records the first time at the entry stage', () => {
      expect(project([captured()]).lifecycleStages).toEqual([
        { contactId: ID, stage: 'lead', firstEnteredAt: on('03-01'), lastEnteredAt: on('03-01'), entries: 1 },
      ]);
    });
  });

  describe('when details change', () => {
    it('applies the changed fields and clears those set to null', () => {
      const first = captured();
      const updated = contactEvent(11, 'ContactUpdated', { changes: { jobTitle: 'CTO', companyName: null }, updatedAt: on('03-02') }, on('03-02'));

      const [row] = project([first, updated]).contacts;

      expect(row).toMatchObject({ firstName: 'Ada', jobTitle: 'CTO', companyName: null, updatedAt: on('03-02'), streamRevision: 1n });
    });
  });

  it('records each identity link once', () => {
    const link = (commit: number) =>
      contactEvent(commit, 'IdentityLinked', { anonymousId: 'cookie-1', linkedAt: on('03-03') }, on('03-03'));

    expect(project([captured(), link(11), link(12)]).identityLinks).toEqual([
      { anonymousId: 'cookie-1', contactId: ID, linkedAt: on('03-03') },
    ]);
  });

  it('keeps the latest score', () => {
    const scored = (commit: number, score: number) => contactEvent(commit, 'LeadScored', { score, previousScore: null, scoredAt: on('03-04') }, on('03-04'));

    expect(project([captured(), scored(11, 40), scored(12, 75)]).contacts[0]?.score).toBe(75);
  });

  describe('lifecycle timestamps', () => {
    it('keeps the first time at a stage and records the latest when the lead is recycled', () => {
      const { lifecycleStages, contacts } = project([
        captured(),
        stageChanged(11, 'lead', 'mql', on('03-05')),
        stageChanged(12, 'mql', 'lead', on('03-08'), 'not ready'),
        stageChanged(13, 'lead', 'mql', on('04-01')),
      ]);

      expect(contacts[0]?.lifecycleStage).toBe('mql');
      expect(lifecycleStages).toEqual([
        { contactId: ID, stage: 'lead', firstEnteredAt: on('03-01'), lastEnteredAt: on('03-08'), entries: 2 },
        { contactId: ID, stage: 'mql', firstEnteredAt: on('03-05'), lastEnteredAt: on('04-01'), entries: 2 },
      ]);
    });

    it('takes the first time from business time when a move is recorded late', () => {
      const { lifecycleStages } = project([
        captured(),
        stageChanged(11, 'lead', 'mql', on('04-01')),
        stageChanged(12, 'mql', 'lead', on('04-02'), 'not ready'),
        stageChanged(13, 'lead', 'mql', on('03-15')),
      ]);

      expect(lifecycleStages.find((row) => row.stage === 'mql')).toMatchObject({ firstEnteredAt: on('03-15'), lastEnteredAt: on('04-01') });
    });
  });

  describe('lead decisions', () => {
    it('records a rejection with its reason, note, who and when, and the stage judged', () => {
      const { decisions, contacts } = project([captured(), stageChanged(11, 'lead', 'mql', on('03-05')), rejected(12, on('03-06'))]);

      expect(decisions).toEqual([
        {
          eventId: anEnvelope(12).eventId,
          contactId: ID,
          decision: 'rejected',
          reason: 'NO_BUDGET',
          note: 'next fiscal year',
          decidedBy: 'rep-1',
          decidedAt: on('03-06'),
          commitPosition: '12',
          lifecycleStage: 'mql',
        },
      ]);
      expect(contacts[0]).toMatchObject({ salesVerdict: 'rejected', salesVerdictAt: on('03-06') });
    });

    it('clears the current verdict on a move back and keeps every decision', () => {
      const { decisions, contacts } = project([
        captured(),
        stageChanged(11, 'lead', 'sql', on('03-05')),
        rejected(12, on('03-06')),
        stageChanged(13, 'sql', 'lead', on('03-07'), 'rejected by sales'),
      ]);
      expect(contacts[0]).toMatchObject({ salesVerdict: null, salesVerdictAt: null });

      const later = project([stageChanged(14, 'lead', 'mql', on('05-01')), accepted(15, on('05-02'))], new Map([[ID, contacts[0] as ContactRow]]));

      expect(decisions.map((row) => row.decision)).toEqual(['rejected']);
      expect(later.decisions).toEqual([expect.objectContaining({ decision: 'accepted', decidedBy: 'rep-2', reason: null, lifecycleStage: 'mql' })]);
      expect(later.contacts[0]).toMatchObject({ salesVerdict: 'accepted', salesVerdictAt: on('05-02') });
    });
  });

  describe('when contacts are merged', () => {
    it('points the merged contact at the survivor and hands the survivor its links', () => {
      const merged = contactEvent(20, 'ContactMergedInto', { survivorContactId: ID, mergedAt: on('06-01') }, on('06-01'), 'ada-dup');
      const survivor = contactEvent(21, 'ContactMerged', { mergedContactId: 'ada-dup', mergedAt: on('06-01') }, on('06-01'));

      const { contacts, merges } = project([captured(10, on('03-01'), 'ada-dup'), captured(11), merged, survivor]);

      expect(contacts.find((row) => row.contactId === 'ada-dup')?.mergedIntoContactId).toBe(ID);
      expect(contacts.find((row) => row.contactId === ID)?.mergedIntoContactId).toBeNull();
      expect(merges).toEqual([{ survivorContactId: ID, mergedContactId: 'ada-dup', mergedAt: on('06-01') }]);
    });
  });

  it('takes account associations from account streams, whether or not the contact is in the batch', () => {
    const created = anEnvelope(30, {
      streamName: 'account-acme',
      type: 'AccountCreated',
      data: { accountId: 'acme', name: 'Acme', domain: 'acme.example', firmographics: {}, createdAt: on('02-01') },
    });

    const changes = project([created, associated(31, 'bob', 'acme', on('03-02'))]);

    expect(changes.contacts).toEqual([]);
    expect(changes.accountAssociations).toEqual([
      { contactId: 'bob', accountId: 'acme', matchedBy: 'email_domain', associatedAt: on('03-02'), commitPosition: '31' },
    ]);
  });

  it('reads the stored rows of the contacts named by contact streams only', () => {
    expect(contactIdsOf([captured(10), captured(11), associated(12, 'bob', 'acme', on('03-02'))])).toEqual([ID]);
  });

  it('refuses an event for a contact it has never seen', () => {
    expect(() => project([stageChanged(11, 'lead', 'mql', on('03-05'))])).toThrow('contacts projection got LifecycleStageChanged for unknown contact ada');
  });

  it('refuses an event type it does not know, so the projection stalls visibly', () => {
    expect(() => project([captured(), contactEvent(11, 'ContactPiiErased', {}, on('03-05'))])).toThrow(
      'contacts projection cannot apply event type ContactPiiErased',
    );
  });
});
