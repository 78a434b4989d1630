import { channelRuleSet, customiseChannelRules, type ChannelRule } from '../channel/channel-rules';
import { defaultChannelRules } from '../channel/default-channel-rules';
import { given } from '../testing/given-when-then';
import type { RecordTouchpoint, TouchpointInput } from './commands';
import { journeyDecider, journeyDeciderWith } from './decide';
import { recordTouchpoint } from './record-touchpoint';

const TOUCH = 'b4c1e0a2-7f3d-4c55-8e21-0d9a6f3b2c11';

const recordWebVisit = (data: Partial<TouchpointInput> = {}): RecordTouchpoint =>
  ({
    type: 'RecordTouchpoint',
    data: {
      touchpointId: TOUCH,
      source: 'segment',
      kind: 'WEB_VISIT',
      occurredAt: '2024-03-01T09:15:00Z',
      anonymousId: 'cookie-7f3a',
      utm: { source: 'google', medium: 'cpc', campaign: 'brand' },
      landingPage: 'https://acme.example/pricing?utm_source=google',
      details: { pageUrl: 'https://acme.example/pricing' },
      ...data,
    },
  }) as RecordTouchpoint;

describe('Journey', () => {
  describe('when a touch is recorded', () => {
    it('records it in the journey', () => {
      given(journeyDecider).when(recordWebVisit()).then(recordTouchpoint(recordWebVisit()).event);
    });

    it('records nothing when the journey already holds the touch', () => {
      given(journeyDecider, recordTouchpoint(recordWebVisit()).event).when(recordWebVisit()).then();
    });

    it('records a different touch of the same person', () => {
      const second = recordWebVisit({ touchpointId: '0c7f5a9e-2b1d-4e8f-a3c6-5d4b3a2f1e0d' });
      given(journeyDecider, recordTouchpoint(recordWebVisit()).event).when(second).then(recordTouchpoint(second).event);
    });

    it('classifies with the rules it was built with', () => {
      const brandIsDirect: ChannelRule = {
        id: 'brand-is-direct',
        channel: 'direct',
        when: [{ field: 'campaign', match: 'equals', value: 'brand' }],
      };
      const rules = channelRuleSet(customiseChannelRules({ prepend: [brandIsDirect] }, defaultChannelRules));
      const expected = recordTouchpoint(recordWebVisit()).event;
      given(journeyDeciderWith(rules))
        .when(recordWebVisit())
        .then({ ...expected, data: { ...expected.data, channel: 'direct' } });
    });

    it('refuses a touch that names no person', () => {
      given(journeyDecider).when(recordWebVisit({ anonymousId: null })).thenThrows('PERSON_IDENTIFIER_MISSING');
    });

    it('refuses a touch with neither a touchpoint id nor an external id', () => {
      given(journeyDecider).when(recordWebVisit({ touchpointId: undefined })).thenThrows('REQUIRED_FIELD_MISSING', 'externalId');
    });
  });
});
