import { derivedTouchpointId, anonymousIdForEmail } from '../shared/identity';
import type { RecordTouchpoint, TouchpointInput } from './commands';
import { recordTouchpoint } from './record-touchpoint';
import { interactionKinds, isInteraction, touchpointKinds, type TouchpointKind } from './touchpoint-kinds';

const TOUCH = 'b4c1e0a2-7f3d-4c55-8e21-0d9a6f3b2c11';

const touch = (data: Record<string, unknown> = {}): RecordTouchpoint =>
  ({
    type: 'RecordTouchpoint',
    data: {
      touchpointId: TOUCH,
      source: 'segment',
      kind: 'WEB_VISIT',
      occurredAt: '2024-03-01T09:15:00Z',
      anonymousId: 'cookie-7f3a',
      details: { pageUrl: 'https://acme.example/pricing' },
      ...data,
    } as TouchpointInput,
  }) as RecordTouchpoint;

const expectRefusal = (command: RecordTouchpoint, code: string, field: string) => {
  expect(() => recordTouchpoint(command)).toThrow(expect.objectContaining({ code, field }));
};

const detailsByKind: { [Kind in TouchpointKind]: Record<string, unknown> } = {
  AD_IMPRESSION: { adPlatform: 'linkedin_ads', platformCampaignId: '183004521', adId: 'ad-77', placement: 'feed' },
  AD_CLICK: { adPlatform: 'google_ads', platformCampaignId: '9921', adGroupId: 'ag-4', clickId: 'Cj0KCQjw', keyword: 'revenue attribution' },
  EMAIL_SENT: { messageId: '<20240301.1@mail.acme.example>', emailName: 'Nurture 3' },
  EMAIL_OPEN: { messageId: '<20240301.1@mail.acme.example>' },
  EMAIL_CLICK: { messageId: '<20240301.1@mail.acme.example>', url: 'https://acme.example/guide' },
  WEB_VISIT: { pageUrl: 'https://acme.example/pricing', pageTitle: 'Pricing', sessionId: 's-19' },
  FORM_SUBMISSION: { formId: 'demo-request', formName: 'Request a demo', pageUrl: 'https://acme.example/demo' },
  CONTENT_DOWNLOAD: { assetId: 'state-of-revops-2024', assetTitle: 'State of RevOps 2024', assetType: 'report' },
  WEBINAR: { webinarId: 'wb-2024-03', participation: 'attended', minutesAttended: 48 },
  EVENT_ATTENDED: { eventId: 'saastr-2024', eventName: 'SaaStr Europa', format: 'in_person' },
  SOCIAL_ENGAGEMENT: { network: 'linkedin', action: 'comment', postId: 'urn-li-7001' },
  CHAT: { conversationId: 'conv-81', handledBy: 'human' },
  CALL: { durationSeconds: 754, outcome: 'connected', direction: 'outbound', repId: 'rep-grace' },
  MEETING: { meetingType: 'discovery', durationMinutes: 30, hostId: 'rep-grace' },
  DEMO: { attendees: [{ contactId: 'ada' }, { email: 'Linus@Acme.example', name: 'Linus' }], presenterId: 'se-ken' },
  PROPOSAL: { proposalId: 'q-2024-118', amount: { amountMinor: 4_800_000, currency: 'EUR' }, opportunityId: 'opp-acme-2024' },
};

describe('Recording a touchpoint', () => {
  it('normalises the touch into one event for the person’s journey', () => {
    const recorded = recordTouchpoint(
      touch({
        source: ' Segment ',
        occurredAt: '2024-03-01T09:15:00.123456Z',
        email: ' Ada@Acme.example ',
        accountId: 'acme',
        utm: { source: ' LinkedIn ', medium: 'Paid_Social', campaign: 'Spring  Webinar', content: '', term: null },
        referrer: 'https://www.linkedin.com/',
        landingPage: 'https://acme.example/webinar?utm_source=LinkedIn',
        campaignId: 'spring-webinar-2024',
      }),
    );
    expect(recorded).toEqual({
      streamName: 'journey-anon-cookie-7f3a',
      event: {
        type: 'TouchpointRecorded',
        data: {
          touchpointId: TOUCH,
          personKey: 'anon-cookie-7f3a',
          kind: 'WEB_VISIT',
          occurredAt: '2024-03-01T09:15:00.123Z',
          source: 'segment',
          externalId: null,
          contactId: null,
          anonymousId: 'cookie-7f3a',
          email: 'ada@acme.example',
          accountId: 'acme',
          utm: { source: 'linkedin', medium: 'paid_social', campaign: 'spring webinar', content: null, term: null },
          referrer: 'https://www.linkedin.com/',
          landingPage: 'https://acme.example/webinar?utm_source=LinkedIn',
          campaignId: 'spring-webinar-2024',
          channel: 'paid_social',
          details: { pageUrl: 'https://acme.example/pricing' },
        },
      },
    });
  });

  it('files a touch of a known contact under the contact', () => {
    expect(recordTouchpoint(touch({ contactId: 'ada' })).streamName).toBe('journey-ada');
  });

  it('files a touch known only by email under the anonymous id of that address', () => {
    const recorded = recordTouchpoint(touch({ anonymousId: null, email: 'ADA@acme.example' }));
    expect(recorded.streamName).toBe(`journey-anon-${anonymousIdForEmail('ada@acme.example')}`);
  });

  it('derives the same id from the same source and external id, every time', () => {
    const first = recordTouchpoint(touch({ touchpointId: null, source: 'HubSpot', externalId: 'evt-991' }));
    const again = recordTouchpoint(touch({ touchpointId: undefined, source: 'hubspot', externalId: ' evt-991 ' }));
    expect(first.event.data.touchpointId).toBe(derivedTouchpointId('hubspot', 'evt-991'));
    expect(again.event.data.touchpointId).toBe(first.event.data.touchpointId);
    expect(first.event.data.touchpointId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('derives different ids for different sources of the same external id', () => {
    expect(derivedTouchpointId('hubspot', 'evt-991')).not.toBe(derivedTouchpointId('marketo', 'evt-991'));
  });

  it('keeps a caller’s UUID, lower-cased', () => {
    expect(recordTouchpoint(touch({ touchpointId: TOUCH.toUpperCase() })).event.data.touchpointId).toBe(TOUCH);
  });

  it.each(touchpointKinds.map((kind) => [kind]))('records a %s with its own details', (kind) => {
    const recorded = recordTouchpoint(touch({ kind, details: detailsByKind[kind] }));
    expect(recorded.event.data.kind).toBe(kind);
    expect(recorded.event.data.details).toEqual(
      kind === 'DEMO'
        ? { attendees: [{ contactId: 'ada' }, { email: 'linus@acme.example', name: 'Linus' }], presenterId: 'se-ken' }
        : detailsByKind[kind],
    );
  });

  it('leaves unknown optional details out of the event', () => {
    const unansweredCall = { durationSeconds: 0, outcome: 'no_answer', direction: 'outbound', repId: null };
    const recorded = recordTouchpoint(touch({ kind: 'CALL', details: unansweredCall }));
    expect(recorded.event.data.details).toEqual({ durationSeconds: 0, outcome: 'no_answer', direction: 'outbound' });
  });

  it('classifies a sales call with no marketing source as sales outbound', () => {
    expect(recordTouchpoint(touch({ kind: 'CALL', details: detailsByKind.CALL })).event.data.channel).toBe('sales_outbound');
  });

  describe('refuses', () => {
    it.each<[string, Record<string, unknown>, string, string]>([
      ['a touch that names no person', { anonymousId: null }, 'PERSON_IDENTIFIER_MISSING', 'contactId'],
      ['a touch without an id or an external id', { touchpointId: null }, 'REQUIRED_FIELD_MISSING', 'externalId'],
      ['a touchpoint id that is not a UUID', { touchpointId: 'touch-1' }, 'INVALID_UUID', 'touchpointId'],
      ['a touch without a source', { source: '' }, 'REQUIRED_FIELD_MISSING', 'source'],
      ['a source with spaces inside', { source: 'google ads' }, 'UNSUPPORTED_VALUE', 'source'],
      ['an unknown kind', { kind: 'PODCAST' }, 'UNSUPPORTED_VALUE', 'kind'],
      ['a local time', { occurredAt: '2024-03-01 09:15' }, 'INVALID_TIMESTAMP', 'occurredAt'],
      ['a time in another zone', { occurredAt: '2024-03-01T09:15:00-05:00' }, 'INVALID_TIMESTAMP', 'occurredAt'],
      ['a day that does not exist', { occurredAt: '2023-02-29T09:15:00Z' }, 'INVALID_TIMESTAMP', 'occurredAt'],
      ['a malformed email', { email: 'ada@' }, 'INVALID_EMAIL', 'email'],
      ['a contact id shaped like an anonymous key', { contactId: 'anon-1' }, 'INVALID_ID', 'contactId'],
      ['a landing page that is not a web address', { landingPage: 'pricing page' }, 'INVALID_URL', 'landingPage'],
      ['a UTM value that is not text', { utm: { source: 42 } }, 'UNSUPPORTED_VALUE', 'utm.source'],
      ['a touch without details', { details: null }, 'REQUIRED_FIELD_MISSING', 'details'],
      ['a web visit without its page', { details: {} }, 'REQUIRED_FIELD_MISSING', 'details.pageUrl'],
      ['an ad click from an unknown platform', { kind: 'AD_CLICK', details: { adPlatform: 'myspace' } }, 'UNSUPPORTED_VALUE', 'details.adPlatform'],
      ['an email open without its message id', { kind: 'EMAIL_OPEN', details: {} }, 'REQUIRED_FIELD_MISSING', 'details.messageId'],
      ['an email click to no web address', { kind: 'EMAIL_CLICK', details: { messageId: 'm1', url: 'mailto:x@y.z' } }, 'INVALID_URL', 'details.url'],
      ['a webinar without registered or attended', { kind: 'WEBINAR', details: { webinarId: 'wb-1' } }, 'UNSUPPORTED_VALUE', 'details.participation'],
      ['a call of negative length', { kind: 'CALL', details: { ...detailsByKind.CALL, durationSeconds: -1 } }, 'VALUE_OUT_OF_RANGE', 'details.durationSeconds'],
      ['a call with an unknown outcome', { kind: 'CALL', details: { ...detailsByKind.CALL, outcome: 'great' } }, 'UNSUPPORTED_VALUE', 'details.outcome'],
      ['a meeting of an unknown type', { kind: 'MEETING', details: { meetingType: 'coffee' } }, 'UNSUPPORTED_VALUE', 'details.meetingType'],
      ['a demo with more than 100 attendees', { kind: 'DEMO', details: { attendees: Array(101).fill({ contactId: 'ada' }) } }, 'VALUE_OUT_OF_RANGE', 'details.attendees'],
      ['a demo without attendees', { kind: 'DEMO', details: { attendees: [] } }, 'REQUIRED_FIELD_MISSING', 'details.attendees'],
      ['a demo attendee nobody can identify', { kind: 'DEMO', details: { attendees: [{ name: 'Linus' }] } }, 'REQUIRED_FIELD_MISSING', 'details.attendees[0].contactId'],
      ['a proposal with a negative amount', { kind: 'PROPOSAL', details: { proposalId: 'q1', amount: { amountMinor: -1, currency: 'EUR' } } }, 'INVALID_AMOUNT', 'details.amount.amountMinor'],
      ['a proposal in an unknown currency', { kind: 'PROPOSAL', details: { proposalId: 'q1', amount: { amountMinor: 1, currency: 'EUX' } } }, 'INVALID_CURRENCY', 'details.amount.currency'],
      ['social engagement on an unknown network', { kind: 'SOCIAL_ENGAGEMENT', details: { network: 'myspace', action: 'like' } }, 'UNSUPPORTED_VALUE', 'details.network'],
      ['a chat without its conversation', { kind: 'CHAT', details: { handledBy: 'bot' } }, 'REQUIRED_FIELD_MISSING', 'details.conversationId'],
    ])('%s', (_, data, code, field) => {
      expectRefusal(touch(data), code, field);
    });
  });
});

describe('Interactions', () => {
  it('are every kind but sends and impressions, which show no intent', () => {
    expect(interactionKinds).toHaveLength(touchpointKinds.length - 2);
    expect(isInteraction('EMAIL_SENT')).toBe(false);
    expect(isInteraction('AD_IMPRESSION')).toBe(false);
    expect(isInteraction('EMAIL_OPEN')).toBe(true);
    expect(isInteraction('AD_CLICK')).toBe(true);
    expect(isInteraction('PROPOSAL')).toBe(true);
  });
});
