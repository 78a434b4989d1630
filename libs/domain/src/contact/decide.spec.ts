import { anonymousIdForEmail } from '../shared/identity';
import { given, stateAfter } from '../testing/given-when-then';
import type {
  AcceptLead,
  CaptureLead,
  ChangeLifecycleStage,
  LinkIdentity,
  MergeContact,
  MergeIntoContact,
  RejectLead,
  ScoreLead,
  UpdateContactDetails,
} from './commands';
import { contactDecider } from './decide';
import type {
  ContactMerged,
  ContactMergedInto,
  ContactUpdated,
  IdentityLinked,
  LeadAcceptedBySales,
  LeadCaptured,
  LeadRejectedBySales,
  LeadScored,
  LifecycleStageChanged,
} from './events';
import type { LifecycleStage } from './lifecycle';

const CONTACT = 'ada';
const TOUCH = '3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b';
const CAPTURED_AT = '2024-03-01T09:00:00.000Z';
const LATER = '2024-03-05T14:30:00.000Z';
const REP = 'rep-grace';

const leadCaptured = (data: Partial<LeadCaptured['data']> = {}): LeadCaptured => ({
  type: 'LeadCaptured',
  data: {
    contactId: CONTACT,
    details: { email: 'ada@acme.com', firstName: 'Ada', lastName: 'Lovelace', jobTitle: 'CTO', phone: null, companyName: 'Acme' },
    lifecycleStage: 'lead',
    convertingTouch: { touchpointId: TOUCH, source: 'hubspot', campaignId: 'spring-webinar' },
    capturedAt: CAPTURED_AT,
    ...data,
  },
});

const stageChanged = (from: LifecycleStage, to: LifecycleStage, reason: string | null = null): LifecycleStageChanged => ({
  type: 'LifecycleStageChanged',
  data: { contactId: CONTACT, from, to, reason, changedAt: LATER },
});

const emailLinked = (email: string, linkedAt = CAPTURED_AT): IdentityLinked => ({
  type: 'IdentityLinked',
  data: { contactId: CONTACT, anonymousId: anonymousIdForEmail(email), linkedAt },
});

const accepted = (): LeadAcceptedBySales => ({
  type: 'LeadAcceptedBySales',
  data: { contactId: CONTACT, acceptedBy: REP, acceptedAt: LATER },
});

const rejected = (data: Partial<LeadRejectedBySales['data']> = {}): LeadRejectedBySales => ({
  type: 'LeadRejectedBySales',
  data: { contactId: CONTACT, reason: 'NO_BUDGET', note: null, rejectedBy: REP, rejectedAt: LATER, ...data },
});

const captureLead = (data: Partial<CaptureLead['data']> = {}): CaptureLead => ({
  type: 'CaptureLead',
  data: {
    contactId: CONTACT,
    details: { email: 'ada@acme.com', firstName: 'Ada', lastName: 'Lovelace', jobTitle: 'CTO', companyName: 'Acme' },
    lifecycleStage: 'lead',
    convertingTouch: { touchpointId: TOUCH, source: 'hubspot', campaignId: 'spring-webinar' },
    capturedAt: CAPTURED_AT,
    ...data,
  },
});

const updateDetails = (changes: UpdateContactDetails['data']['changes']): UpdateContactDetails => ({
  type: 'UpdateContactDetails',
  data: { contactId: CONTACT, changes, updatedAt: LATER },
});

const linkIdentity = (anonymousId = 'anon-cookie-1'): LinkIdentity => ({
  type: 'LinkIdentity',
  data: { contactId: CONTACT, anonymousId, linkedAt: LATER },
});

const scoreLead = (score: number): ScoreLead => ({ type: 'ScoreLead', data: { contactId: CONTACT, score, scoredAt: LATER } });

const changeStage = (to: LifecycleStage, reason?: string): ChangeLifecycleStage => ({
  type: 'ChangeLifecycleStage',
  data: { contactId: CONTACT, to, reason, changedAt: LATER },
});

const acceptLead = (): AcceptLead => ({ type: 'AcceptLead', data: { contactId: CONTACT, acceptedBy: REP, acceptedAt: LATER } });

const rejectLead = (data: Partial<RejectLead['data']> = {}): RejectLead => ({
  type: 'RejectLead',
  data: { contactId: CONTACT, reason: 'NO_BUDGET', rejectedBy: REP, rejectedAt: LATER, ...data },
});

const mergeContact = (mergedContactId = 'ada-duplicate'): MergeContact => ({
  type: 'MergeContact',
  data: { contactId: CONTACT, mergedContactId, mergedAt: LATER },
});

const mergeIntoContact = (survivorContactId = 'ada-original'): MergeIntoContact => ({
  type: 'MergeIntoContact',
  data: { contactId: CONTACT, survivorContactId, mergedAt: LATER },
});

const merged = (mergedContactId = 'ada-duplicate'): ContactMerged => ({
  type: 'ContactMerged',
  data: { contactId: CONTACT, mergedContactId, mergedAt: LATER },
});

const mergedInto = (survivorContactId = 'ada-original'): ContactMergedInto => ({
  type: 'ContactMergedInto',
  data: { contactId: CONTACT, survivorContactId, mergedAt: LATER },
});

describe('Contact', () => {
  describe('when captured as a lead', () => {
    it('records the lead with the touch that converted it', () => {
      given(contactDecider).when(captureLead()).then(leadCaptured(), emailLinked('ada@acme.com'));
    });

    it('normalises the email and treats blank details as unknown', () => {
      given(contactDecider)
        .when(captureLead({ details: { email: '  Ada@ACME.com ', firstName: ' Ada ', lastName: '', jobTitle: null } }))
        .then(
          leadCaptured({
            details: { email: 'ada@acme.com', firstName: 'Ada', lastName: null, jobTitle: null, phone: null, companyName: null },
          }),
          emailLinked('ada@acme.com'),
        );
    });

    it('captures a newsletter subscriber with no converting touch', () => {
      given(contactDecider)
        .when(captureLead({ lifecycleStage: 'subscriber', convertingTouch: null }))
        .then(leadCaptured({ lifecycleStage: 'subscriber', convertingTouch: null }), emailLinked('ada@acme.com'));
    });

    it('refuses a contact id shaped like an anonymous journey key', () => {
      given(contactDecider).when(captureLead({ contactId: 'anon-42' })).thenThrows('INVALID_ID', 'contactId');
    });

    it('refuses to capture the same contact twice', () => {
      given(contactDecider, leadCaptured()).when(captureLead()).thenThrows('CONTACT_ALREADY_EXISTS');
    });

    it('refuses a lead without an email address', () => {
      given(contactDecider)
        .when(captureLead({ details: { email: ' ' } }))
        .thenThrows('REQUIRED_FIELD_MISSING', 'details.email');
    });

    it('refuses a malformed email address', () => {
      given(contactDecider)
        .when(captureLead({ details: { email: 'ada-at-acme.com' } }))
        .thenThrows('INVALID_EMAIL', 'details.email');
    });

    it('refuses a contact id with whitespace, since it names the stream', () => {
      given(contactDecider).when(captureLead({ contactId: 'ada lovelace' })).thenThrows('INVALID_ID', 'contactId');
    });

    it('refuses to enter the funnel past the lead stage', () => {
      given(contactDecider)
        .when(captureLead({ lifecycleStage: 'mql' as 'lead' }))
        .thenThrows('UNSUPPORTED_VALUE', 'lifecycleStage');
    });

    it('refuses a converting touch whose id is not a UUID', () => {
      given(contactDecider)
        .when(captureLead({ convertingTouch: { touchpointId: 'touch-1', source: 'hubspot' } }))
        .thenThrows('INVALID_UUID', 'convertingTouch.touchpointId');
    });

    it('refuses a capture time with a non-UTC offset', () => {
      given(contactDecider)
        .when(captureLead({ capturedAt: '2024-03-01T10:00:00+01:00' }))
        .thenThrows('INVALID_TIMESTAMP', 'capturedAt');
    });
  });

  describe('when its details are updated', () => {
    it('records only the fields that changed', () => {
      const updated: ContactUpdated = {
        type: 'ContactUpdated',
        data: { contactId: CONTACT, changes: { jobTitle: 'VP Engineering', phone: '+44 20 7946 0000' }, updatedAt: LATER },
      };
      given(contactDecider, leadCaptured())
        .when(updateDetails({ firstName: 'Ada', jobTitle: 'VP Engineering', phone: '+44 20 7946 0000' }))
        .then(updated);
    });

    it('links the identity of a new email address, so touches known by that address join the journey', () => {
      given(contactDecider, leadCaptured(), emailLinked('ada@acme.com'))
        .when(updateDetails({ email: 'ada@acme.io' }))
        .then(
          { type: 'ContactUpdated', data: { contactId: CONTACT, changes: { email: 'ada@acme.io' }, updatedAt: LATER } },
          emailLinked('ada@acme.io', LATER),
        );
    });

    it('does not link an address the contact was already linked by', () => {
      const capturedWithOldAddress = leadCaptured({ details: { ...leadCaptured().data.details, email: 'ada@acme.io' } });
      given(contactDecider, capturedWithOldAddress, emailLinked('ada@acme.io'), emailLinked('ada@acme.com'))
        .when(updateDetails({ email: 'ada@acme.com' }))
        .then({ type: 'ContactUpdated', data: { contactId: CONTACT, changes: { email: 'ada@acme.com' }, updatedAt: LATER } });
    });

    it('clears a detail given as null', () => {
      given(contactDecider, leadCaptured())
        .when(updateDetails({ companyName: null }))
        .then({ type: 'ContactUpdated', data: { contactId: CONTACT, changes: { companyName: null }, updatedAt: LATER } });
    });

    it('records nothing when every value is already known', () => {
      given(contactDecider, leadCaptured()).when(updateDetails({ email: 'ADA@acme.com', lastName: 'Lovelace' })).then();
    });

    it('remembers the new values', () => {
      const updated: ContactUpdated = {
        type: 'ContactUpdated',
        data: { contactId: CONTACT, changes: { jobTitle: 'VP Engineering' }, updatedAt: LATER },
      };
      given(contactDecider, leadCaptured(), updated).when(updateDetails({ jobTitle: 'VP Engineering' })).then();
    });

    it('refuses to erase the email address', () => {
      given(contactDecider, leadCaptured())
        .when(updateDetails({ email: '' }))
        .thenThrows('REQUIRED_FIELD_MISSING', 'changes.email');
    });

    it('refuses a contact that was never captured', () => {
      given(contactDecider).when(updateDetails({ jobTitle: 'CTO' })).thenThrows('CONTACT_NOT_FOUND');
    });
  });

  describe('when an anonymous visitor is identified as the contact', () => {
    const linked = (anonymousId = 'anon-cookie-1'): IdentityLinked => ({
      type: 'IdentityLinked',
      data: { contactId: CONTACT, anonymousId, linkedAt: LATER },
    });

    it('links the anonymous id', () => {
      given(contactDecider, leadCaptured()).when(linkIdentity()).then(linked());
    });

    it('links each anonymous id only once', () => {
      given(contactDecider, leadCaptured(), linked()).when(linkIdentity()).then();
    });

    it('links a second device as well', () => {
      given(contactDecider, leadCaptured(), linked()).when(linkIdentity('anon-phone-7')).then(linked('anon-phone-7'));
    });

    it('refuses an empty anonymous id', () => {
      given(contactDecider, leadCaptured()).when(linkIdentity('')).thenThrows('REQUIRED_FIELD_MISSING', 'anonymousId');
    });

    it('refuses a contact that was never captured', () => {
      given(contactDecider).when(linkIdentity()).thenThrows('CONTACT_NOT_FOUND');
    });
  });

  describe('when scored', () => {
    const scored = (score: number, previousScore: number | null): LeadScored => ({
      type: 'LeadScored',
      data: { contactId: CONTACT, score, previousScore, scoredAt: LATER },
    });

    it('records the first score', () => {
      given(contactDecider, leadCaptured()).when(scoreLead(42)).then(scored(42, null));
    });

    it('records a new score with the one it replaces', () => {
      given(contactDecider, leadCaptured(), scored(42, null)).when(scoreLead(80)).then(scored(80, 42));
    });

    it('records nothing when the score is unchanged', () => {
      given(contactDecider, leadCaptured(), scored(42, null)).when(scoreLead(42)).then();
    });

    it('refuses a score above 100', () => {
      given(contactDecider, leadCaptured()).when(scoreLead(101)).thenThrows('VALUE_OUT_OF_RANGE', 'score');
    });

    it('refuses a fractional score', () => {
      given(contactDecider, leadCaptured()).when(scoreLead(7.5)).thenThrows('VALUE_OUT_OF_RANGE', 'score');
    });
  });

  describe('when its lifecycle stage changes', () => {
    it('moves a subscriber forward to lead', () => {
      given(contactDecider, leadCaptured({ lifecycleStage: 'subscriber' })).when(changeStage('lead')).then(stageChanged('subscriber', 'lead'));
    });

    it('lets a lead skip straight to SQL', () => {
      given(contactDecider, leadCaptured()).when(changeStage('sql')).then(stageChanged('lead', 'sql'));
    });

    it('keeps a reason given for a forward move', () => {
      given(contactDecider, leadCaptured())
        .when(changeStage('mql', 'score passed 70'))
        .then(stageChanged('lead', 'mql', 'score passed 70'));
    });

    it('records nothing when the contact is already at the stage', () => {
      given(contactDecider, leadCaptured(), stageChanged('lead', 'mql')).when(changeStage('mql')).then();
    });

    it('recycles an SQL back to lead with a reason', () => {
      given(contactDecider, leadCaptured(), stageChanged('lead', 'sql'))
        .when(changeStage('lead', 'no project before next year'))
        .then(stageChanged('sql', 'lead', 'no project before next year'));
    });

    it('refuses to recycle without a reason', () => {
      given(contactDecider, leadCaptured(), stageChanged('lead', 'sql'))
        .when(changeStage('lead', '  '))
        .thenThrows('REQUIRED_FIELD_MISSING', 'reason');
    });

    it('wins a churned customer back as a lead, with a reason', () => {
      given(contactDecider, leadCaptured(), stageChanged('lead', 'customer'))
        .when(changeStage('lead', 'churned at renewal'))
        .then(stageChanged('customer', 'lead', 'churned at renewal'));
    });

    it('refuses to move a customer anywhere but back to lead', () => {
      given(contactDecider, leadCaptured(), stageChanged('lead', 'customer'))
        .when(changeStage('opportunity', 'expansion'))
        .thenThrows('INVALID_LIFECYCLE_TRANSITION', 'to');
    });

    it('refuses a stage that is not in the lifecycle', () => {
      given(contactDecider, leadCaptured()).when(changeStage('champion' as LifecycleStage)).thenThrows('UNSUPPORTED_VALUE', 'to');
    });

    it('refuses a contact that was never captured', () => {
      given(contactDecider).when(changeStage('mql')).thenThrows('CONTACT_NOT_FOUND');
    });
  });

  describe('when sales gives its verdict', () => {
    it('records that sales accepted an MQL', () => {
      given(contactDecider, leadCaptured(), stageChanged('lead', 'mql')).when(acceptLead()).then(accepted());
    });

    it('records an acceptance only once per hand-off', () => {
      given(contactDecider, leadCaptured(), stageChanged('lead', 'mql'), accepted()).when(acceptLead()).then();
    });

    it('keeps the acceptance when the lead moves on to SQL', () => {
      given(contactDecider, leadCaptured(), stageChanged('lead', 'mql'), accepted(), stageChanged('mql', 'sql'))
        .when(acceptLead())
        .then();
    });

    it('asks for a fresh verdict after the lead was recycled and handed over again', () => {
      given(
        contactDecider,
        leadCaptured(),
        stageChanged('lead', 'mql'),
        accepted(),
        stageChanged('mql', 'lead', 'went quiet'),
        stageChanged('lead', 'mql'),
      )
        .when(acceptLead())
        .then(accepted());
    });

    it('refuses a verdict on a lead marketing has not handed over', () => {
      given(contactDecider, leadCaptured()).when(acceptLead()).thenThrows('LEAD_NOT_HANDED_TO_SALES');
    });

    it('records a rejection with its reason', () => {
      given(contactDecider, leadCaptured(), stageChanged('lead', 'sql'))
        .when(rejectLead({ reason: 'NO_BUDGET', note: ' budget frozen until Q3 ' }))
        .then(rejected({ note: 'budget frozen until Q3' }));
    });

    it('lets sales reject a lead it had accepted', () => {
      given(contactDecider, leadCaptured(), stageChanged('lead', 'mql'), accepted()).when(rejectLead()).then(rejected());
    });

    it('records nothing when the same rejection arrives again', () => {
      given(contactDecider, leadCaptured(), stageChanged('lead', 'mql'), rejected()).when(rejectLead()).then();
    });

    it('records a rejection with a different reason', () => {
      given(contactDecider, leadCaptured(), stageChanged('lead', 'mql'), rejected())
        .when(rejectLead({ reason: 'NOT_ICP' }))
        .then(rejected({ reason: 'NOT_ICP' }));
    });

    it('accepts OTHER with an explanation', () => {
      given(contactDecider, leadCaptured(), stageChanged('lead', 'mql'))
        .when(rejectLead({ reason: 'OTHER', note: 'student project' }))
        .then(rejected({ reason: 'OTHER', note: 'student project' }));
    });

    it('refuses OTHER without an explanation', () => {
      given(contactDecider, leadCaptured(), stageChanged('lead', 'mql'))
        .when(rejectLead({ reason: 'OTHER' }))
        .thenThrows('REQUIRED_FIELD_MISSING', 'note');
    });

    it('refuses a reason that is not on the list', () => {
      given(contactDecider, leadCaptured(), stageChanged('lead', 'mql'))
        .when(rejectLead({ reason: 'TOO_SMALL' as 'OTHER' }))
        .thenThrows('UNSUPPORTED_VALUE', 'reason');
    });

    it('refuses a rejection of a customer', () => {
      given(contactDecider, leadCaptured(), stageChanged('lead', 'customer')).when(rejectLead()).thenThrows('LEAD_NOT_HANDED_TO_SALES');
    });

    it('refuses a verdict without the rep who gave it', () => {
      given(contactDecider, leadCaptured(), stageChanged('lead', 'mql'))
        .when(rejectLead({ rejectedBy: '' }))
        .thenThrows('REQUIRED_FIELD_MISSING', 'rejectedBy');
    });
  });

  describe('when its history is replayed', () => {
    it('ignores an event recorded before the capture, so a replay never breaks', () => {
      expect(stateAfter(contactDecider, stageChanged('lead', 'mql'))).toEqual(contactDecider.initialState());
    });
  });

  describe('when a duplicate is merged into it', () => {
    it('records the merged contact on the survivor', () => {
      given(contactDecider, leadCaptured()).when(mergeContact()).then(merged());
    });

    it('records each merged contact once', () => {
      given(contactDecider, leadCaptured(), merged()).when(mergeContact()).then();
    });

    it('refuses to merge a contact with itself', () => {
      given(contactDecider, leadCaptured()).when(mergeContact(CONTACT)).thenThrows('CONTACT_SELF_MERGE');
    });

    it('refuses a survivor that was never captured', () => {
      given(contactDecider).when(mergeContact()).thenThrows('CONTACT_NOT_FOUND');
    });
  });

  describe('when merged into another contact', () => {
    it('points at the survivor', () => {
      given(contactDecider, leadCaptured()).when(mergeIntoContact()).then(mergedInto());
    });

    it('records nothing when the same merge is sent again', () => {
      given(contactDecider, leadCaptured(), mergedInto()).when(mergeIntoContact()).then();
    });

    it('refuses a merge into a second survivor', () => {
      given(contactDecider, leadCaptured(), mergedInto()).when(mergeIntoContact('someone-else')).thenThrows('CONTACT_MERGED');
    });

    it('refuses to merge a contact into itself', () => {
      given(contactDecider, leadCaptured()).when(mergeIntoContact(CONTACT)).thenThrows('CONTACT_SELF_MERGE');
    });

    it('refuses a contact that was never captured', () => {
      given(contactDecider).when(mergeIntoContact()).thenThrows('CONTACT_NOT_FOUND');
    });

    it.each([
      ['an update', updateDetails({ jobTitle: 'CEO' })],
      ['an identity link', linkIdentity()],
      ['a score', scoreLead(10)],
      ['a stage change', changeStage('mql')],
      ['an acceptance', acceptLead()],
      ['a rejection', rejectLead()],
      ['absorbing another contact', mergeContact()],
    ])('rejects %s', (_, command) => {
      given(contactDecider, leadCaptured(), stageChanged('lead', 'mql'), mergedInto()).when(command).thenThrows('CONTACT_MERGED');
    });
  });
});
