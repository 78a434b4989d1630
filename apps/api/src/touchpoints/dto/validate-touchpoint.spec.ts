import { derivedTouchpointId, touchpointKinds, type TouchpointKind } from '@revops/domain';
import { validateTouchpoint, type TouchpointValidation } from './validate-touchpoint';

const TOUCH = '0b8e2f64-4c1d-4e53-9a57-3f0d6c2b9e10';
const defaults = { source: 'acme-tracker' };

const touchpoint = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  touchpointId: TOUCH,
  source: 'segment',
  kind: 'WEB_VISIT',
  occurredAt: '2024-03-01T09:15:00Z',
  anonymousId: 'cookie-7f3a',
  details: { pageUrl: 'https://acme.example/pricing' },
  ...overrides,
});

const errorsOf = (outcome: TouchpointValidation) => (outcome.valid ? [] : outcome.errors);

const validDetails: { [Kind in TouchpointKind]: Record<string, unknown> } = {
  AD_IMPRESSION: { adPlatform: 'linkedin_ads', platformCampaignId: '183004521', adId: 'ad-77', placement: 'feed' },
  AD_CLICK: { adPlatform: 'google_ads', adGroupId: 'ag-4', clickId: 'Cj0KCQjw', keyword: 'revenue attribution' },
  EMAIL_SENT: { messageId: '<20240301.1@mail.acme.example>', emailName: 'Nurture 3' },
  EMAIL_OPEN: { messageId: '<20240301.1@mail.acme.example>' },
  EMAIL_CLICK: { messageId: '<20240301.1@mail.acme.example>', url: 'https://acme.example/guide' },
  WEB_VISIT: { pageUrl: 'https://acme.example/pricing', pageTitle: 'Pricing', sessionId: 's-19' },
  FORM_SUBMISSION: { formId: 'demo-request', formName: 'Request a demo', pageUrl: 'https://acme.example/demo' },
  CONTENT_DOWNLOAD: { assetId: 'state-of-revops', assetTitle: 'State of RevOps', assetType: 'report' },
  WEBINAR: { webinarId: 'wb-2024-03', participation: 'attended', minutesAttended: 48 },
  EVENT_ATTENDED: { eventId: 'saastr-2024', eventName: 'SaaStr Europa', format: 'in_person' },
  SOCIAL_ENGAGEMENT: { network: 'linkedin', action: 'comment', postId: 'urn-li-7001' },
  CHAT: { conversationId: 'conv-81', handledBy: 'human' },
  CALL: { durationSeconds: 754, outcome: 'connected', direction: 'outbound', repId: 'rep-grace' },
  MEETING: { meetingType: 'discovery', durationMinutes: 30, hostId: 'rep-grace' },
  DEMO: { attendees: [{ contactId: 'ada' }, { email: 'linus@acme.example', name: 'Linus' }], presenterId: 'se-ken' },
  PROPOSAL: { proposalId: 'q-2024-118', amount: { amountMinor: 4_800_000, currency: 'EUR' }, opportunityId: 'opp-acme' },
};

// Per kind: a details object with one field mistyped, the field, and the code expected.
const mistypedDetails: { [Kind in TouchpointKind]: [Record<string, unknown>, string, string] } = {
  AD_IMPRESSION: [{ adPlatform: 'myspace_ads' }, 'details.adPlatform', 'UNSUPPORTED_VALUE'],
  AD_CLICK: [{ adPlatform: 'google_ads', keyword: 42 }, 'details.keyword', 'INVALID_TYPE'],
  EMAIL_SENT: [{}, 'details.messageId', 'REQUIRED_FIELD_MISSING'],
  EMAIL_OPEN: [{ messageId: 'm'.repeat(501) }, 'details.messageId', 'VALUE_TOO_LONG'],
  EMAIL_CLICK: [{ messageId: 'm-1' }, 'details.url', 'REQUIRED_FIELD_MISSING'],
  WEB_VISIT: [{ pageUrl: ['https://acme.example'] }, 'details.pageUrl', 'INVALID_TYPE'],
  FORM_SUBMISSION: [{ formId: 'demo', formName: 'n'.repeat(201) }, 'details.formName', 'VALUE_TOO_LONG'],
  CONTENT_DOWNLOAD: [{ assetId: 'a-1', assetType: 'podcast' }, 'details.assetType', 'UNSUPPORTED_VALUE'],
  WEBINAR: [{ webinarId: 'wb-1', participation: 'attended', minutesAttended: 12.5 }, 'details.minutesAttended', 'INVALID_TYPE'],
  EVENT_ATTENDED: [{ eventId: 'ev-1', format: 'metaverse' }, 'details.format', 'UNSUPPORTED_VALUE'],
  SOCIAL_ENGAGEMENT: [{ network: 'linkedin' }, 'details.action', 'REQUIRED_FIELD_MISSING'],
  CHAT: [{ conversationId: 'c-1', handledBy: 'robot' }, 'details.handledBy', 'UNSUPPORTED_VALUE'],
  CALL: [{ durationSeconds: '754', outcome: 'connected', direction: 'outbound' }, 'details.durationSeconds', 'INVALID_TYPE'],
  MEETING: [{ meetingType: 'discovery', hostId: { id: 'rep' } }, 'details.hostId', 'INVALID_TYPE'],
  DEMO: [{ attendees: [] }, 'details.attendees', 'REQUIRED_FIELD_MISSING'],
  PROPOSAL: [{ proposalId: 'q-1', amount: { amountMinor: -5, currency: 'EUR' } }, 'details.amount.amountMinor', 'VALUE_OUT_OF_RANGE'],
};

describe('validateTouchpoint', () => {
  describe.each(touchpointKinds)('a %s touchpoint', (kind) => {
    it('is accepted with its details and recorded for the journey', () => {
      const outcome = validateTouchpoint(touchpoint({ kind, details: validDetails[kind] }), defaults);

      expect(outcome).toMatchObject({
        valid: true,
        recorded: { streamName: 'journey-anon-cookie-7f3a', event: { type: 'TouchpointRecorded', data: { kind, touchpointId: TOUCH } } },
      });
    });

    it('is refused when a detail is missing, mistyped or out of its list, naming the field', () => {
      const [details, field, code] = mistypedDetails[kind];

      expect(errorsOf(validateTouchpoint(touchpoint({ kind, details }), defaults))).toContainEqual(
        expect.objectContaining({ field, code }),
      );
    });

    it('refuses a detail that belongs to another kind', () => {
      const foreign = kind === 'CALL' ? 'pageUrl' : 'durationSeconds';
      const details = { ...validDetails[kind], [foreign]: 60 };
      const field = `details.${foreign}`;

      expect(errorsOf(validateTouchpoint(touchpoint({ kind, details }), defaults))).toEqual([
        { field, code: 'UNKNOWN_FIELD', message: `${field} is not a known field of ${kind} details` },
      ]);
    });
  });

  describe('the envelope fields', () => {
    it('refuses a field no touchpoint has', () => {
      expect(errorsOf(validateTouchpoint(touchpoint({ visitorScore: 7 }), defaults))).toEqual([
        { field: 'visitorScore', code: 'UNKNOWN_FIELD', message: 'visitorScore is not a known field of a touchpoint' },
      ]);
    });

    it('reports every bad field at once', () => {
      const outcome = validateTouchpoint(touchpoint({ occurredAt: 1709284500, anonymousId: 12, utm: { source: 'x'.repeat(251), medium: 'cpc' } }), defaults);

      expect(errorsOf(outcome)).toEqual([
        { field: 'occurredAt', code: 'INVALID_TYPE', message: 'occurredAt must be a string' },
        { field: 'anonymousId', code: 'INVALID_TYPE', message: 'anonymousId must be a string' },
        { field: 'utm.source', code: 'VALUE_TOO_LONG', message: 'utm.source must be shorter than or equal to 250 characters' },
      ]);
    });

    it('refuses unknown fields nested in lists', () => {
      const details = { attendees: [{ contactId: 'ada' }, { email: 'linus@acme.example', phone: '+49 30 1234' }] };

      expect(errorsOf(validateTouchpoint(touchpoint({ kind: 'DEMO', details }), defaults))).toEqual([
        { field: 'details.attendees[1].phone', code: 'UNKNOWN_FIELD', message: 'details.attendees[1].phone is not a known field of DEMO details' },
      ]);
    });

    it('never lets a __proto__ key replace the rules a touchpoint is checked by', () => {
      const parsed: unknown = JSON.parse(JSON.stringify(touchpoint({ occurredAt: 'soon' })).replace('{', '{"__proto__": {},'));

      expect(errorsOf(validateTouchpoint(parsed, defaults))).toEqual([expect.objectContaining({ field: 'occurredAt', code: 'INVALID_TIMESTAMP' })]);
    });

    it('refuses unknown utm parts and a utm that is not an object', () => {
      expect(errorsOf(validateTouchpoint(touchpoint({ utm: { source: 'google', id: 'x' } }), defaults))).toEqual([
        expect.objectContaining({ field: 'utm.id', code: 'UNKNOWN_FIELD' }),
      ]);
      expect(errorsOf(validateTouchpoint(touchpoint({ utm: 'google/cpc' }), defaults))).toEqual([
        expect.objectContaining({ field: 'utm', code: 'INVALID_TYPE' }),
      ]);
    });

    it('refuses an unknown kind without judging the details', () => {
      expect(errorsOf(validateTouchpoint(touchpoint({ kind: 'PODCAST', details: { episode: 3 } }), defaults))).toEqual([
        expect.objectContaining({ field: 'kind', code: 'UNSUPPORTED_VALUE' }),
      ]);
    });

    it('requires details for a known kind', () => {
      expect(errorsOf(validateTouchpoint(touchpoint({ details: undefined }), defaults))).toEqual([
        { field: 'details', code: 'REQUIRED_FIELD_MISSING', message: 'details is required' },
      ]);
    });

    it('refuses a value that is not an object', () => {
      for (const value of [null, 'WEB_VISIT', 42, [touchpoint()]]) {
        expect(errorsOf(validateTouchpoint(value, defaults))).toEqual([
          { field: null, code: 'INVALID_TYPE', message: 'A touchpoint must be a JSON object' },
        ]);
      }
    });

    it('requires source and externalId together when there is no touchpoint id', () => {
      const outcome = validateTouchpoint(touchpoint({ touchpointId: undefined, source: undefined }), defaults);

      expect(errorsOf(outcome)).toEqual([
        { field: 'source', code: 'REQUIRED_FIELD_MISSING', message: 'source is required' },
        { field: 'externalId', code: 'REQUIRED_FIELD_MISSING', message: 'externalId is required' },
      ]);
    });

    it('derives the id from source and externalId', () => {
      const outcome = validateTouchpoint(touchpoint({ touchpointId: undefined, source: 'HubSpot', externalId: 'evt-881' }), defaults);

      expect(outcome).toMatchObject({ valid: true, recorded: { event: { data: { touchpointId: derivedTouchpointId('hubspot', 'evt-881') } } } });
    });

    it('takes the sending integration as the source of a touch with its own id and no source', () => {
      const outcome = validateTouchpoint(touchpoint({ source: undefined }), defaults);

      expect(outcome).toMatchObject({ valid: true, recorded: { event: { data: { source: 'acme-tracker' } } } });
    });
  });

  describe('the domain rules', () => {
    it.each([
      ['a timestamp with an offset', { occurredAt: '2024-03-01T10:15:00+01:00' }, 'occurredAt', 'INVALID_TIMESTAMP'],
      ['a malformed touchpoint id', { touchpointId: 'touch-1' }, 'touchpointId', 'INVALID_UUID'],
      ['a malformed email', { email: 'ada(at)acme' }, 'email', 'INVALID_EMAIL'],
      ['a page that is not a web address', { details: { pageUrl: 'ftp://acme.example' } }, 'details.pageUrl', 'INVALID_URL'],
      ['no person at all', { anonymousId: undefined }, 'contactId', 'PERSON_IDENTIFIER_MISSING'],
      ['an unknown currency', { kind: 'PROPOSAL', details: { proposalId: 'q', amount: { amountMinor: 5, currency: 'EUX' } } }, 'details.amount.currency', 'INVALID_CURRENCY'],
    ])('refuses %s', (_, overrides, field, code) => {
      expect(errorsOf(validateTouchpoint(touchpoint(overrides), defaults))).toEqual([expect.objectContaining({ field, code })]);
    });

    it('normalises what it accepts', () => {
      const outcome = validateTouchpoint(
        touchpoint({ occurredAt: '2024-03-01T09:15:00.123456Z', email: ' Ada@Acme.example ', utm: { source: ' LinkedIn ', medium: 'Paid_Social' } }),
        defaults,
      );

      expect(outcome).toMatchObject({
        valid: true,
        recorded: {
          event: {
            data: {
              occurredAt: '2024-03-01T09:15:00.123Z',
              email: 'ada@acme.example',
              utm: { source: 'linkedin', medium: 'paid_social', campaign: null, content: null, term: null },
              channel: 'paid_social',
            },
          },
        },
      });
    });
  });
});
