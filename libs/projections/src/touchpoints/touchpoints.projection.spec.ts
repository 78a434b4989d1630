import type { RecordedEnvelope } from '@revops/event-store';
import { anEnvelope } from '../runner/testing/envelopes';
import { touchpointRows } from './touchpoints.projection';

const TOUCH_ID = '4f0c6a1e-4a0b-4c57-9d55-0c2f1f7a9a01';

function touch(commit: number, overrides: Record<string, unknown> = {}): RecordedEnvelope {
  const occurredAt = (overrides.occurredAt as string | undefined) ?? '2024-03-01T09:15:00.000Z';
  const data = {
    touchpointId: TOUCH_ID,
    personKey: 'anon-cookie-1',
    kind: 'AD_CLICK',
    occurredAt,
    source: 'segment',
    externalId: 'evt-1',
    contactId: null,
    anonymousId: 'cookie-1',
    email: null,
    accountId: 'acme',
    utm: { source: 'google', medium: 'cpc', campaign: 'brand', content: 'ad-1', term: 'revops' },
    referrer: 'https://www.google.com/',
    landingPage: 'https://revops.example/pricing',
    campaignId: 'brand-search',
    channel: 'paid_search',
    details: { clickId: 'gclid-1' },
    ...overrides,
  };
  return anEnvelope(commit, {
    streamName: `journey-${data.personKey}`,
    type: 'TouchpointRecorded',
    data,
    metadata: { ...anEnvelope(commit).metadata, occurredAt },
  });
}

describe('touchpoints projection', () => {
  it('writes one row per touch with its person, tagging, business time and position', () => {
    expect(touchpointRows([touch(42)])).toEqual([
      {
        touchpointId: TOUCH_ID,
        personKey: 'anon-cookie-1',
        contactId: null,
        anonymousId: 'cookie-1',
        accountId: 'acme',
        kind: 'AD_CLICK',
        channel: 'paid_search',
        source: 'segment',
        utmSource: 'google',
        utmMedium: 'cpc',
        utmCampaign: 'brand',
        utmContent: 'ad-1',
        utmTerm: 'revops',
        referrer: 'https://www.google.com/',
        campaignId: 'brand-search',
        occurredAt: '2024-03-01T09:15:00.000Z',
        commitPosition: '42',
        interaction: true,
      },
    ]);
  });

  it('marks touches the person did not act on as no interaction', () => {
    const [sent] = touchpointRows([touch(43, { kind: 'EMAIL_SENT', channel: 'email', details: { messageId: 'm-1' } })]);

    expect(sent?.interaction).toBe(false);
  });

  it('keeps the first delivery of a touch recorded twice', () => {
    const rows = touchpointRows([touch(50), touch(51, { occurredAt: '2024-03-02T09:15:00.000Z' })]);

    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ commitPosition: '50', occurredAt: '2024-03-01T09:15:00.000Z' });
  });

  it('refuses an event type it does not know, so the projection stalls visibly', () => {
    const unknown = anEnvelope(60, { streamName: 'journey-anon-cookie-1', type: 'TouchpointRetracted', data: { touchpointId: TOUCH_ID } });

    expect(() => touchpointRows([unknown])).toThrow('touchpoints projection cannot apply event type TouchpointRetracted');
  });
});
