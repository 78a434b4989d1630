import type { RecordedEnvelope } from '@revops/event-store';
import { anEnvelope } from '../runner/testing/envelopes';
import { campaignChanges } from './campaigns.projection';

function event(commit: number, type: string, data: Record<string, unknown>, occurredAt: string): RecordedEnvelope {
  return anEnvelope(commit, {
    streamName: 'campaign-spring-webinar',
    type,
    data: { campaignId: 'spring-webinar', ...data },
    metadata: { ...anEnvelope(commit).metadata, occurredAt },
  });
}

const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

const created = (commit = 10) =>
  event(
    commit,
    'CampaignCreated',
    {
      name: 'Spring webinar',
      channel: 'paid_social',
      utm: { source: 'linkedin', medium: 'paid_social', campaign: 'spring-webinar', content: null, term: null },
      budget: eur(5_000_000),
      startDate: '2024-03-01',
      endDate: '2024-03-31',
      createdAt: '2024-02-20T09:00:00.000Z',
    },
    '2024-02-20T09:00:00.000Z',
  );
const recorded = (commit: number, day: string, amountMinor: number, occurredAt: string) =>
  event(commit, 'CampaignSpendRecorded', { day, source: 'linkedin_ads', amount: eur(amountMinor), recordedAt: occurredAt }, occurredAt);
const corrected = (commit: number, day: string, previous: number, amountMinor: number, occurredAt: string) =>
  event(
    commit,
    'CampaignSpendCorrected',
    { day, source: 'linkedin_ads', previousAmount: eur(previous), amount: eur(amountMinor), correctedAt: occurredAt },
    occurredAt,
  );

describe('campaigns projection', () => {
  describe('when a campaign is created', () => {
    it('writes its name, channel, tagging, budget and dates', () => {
      expect(campaignChanges([created()]).campaigns).toEqual([
        {
          campaignId: 'spring-webinar',
          name: 'Spring webinar',
          channel: 'paid_social',
          utmSource: 'linkedin',
          utmMedium: 'paid_social',
          utmCampaign: 'spring-webinar',
          utmContent: null,
          utmTerm: null,
          budgetMinor: 5_000_000,
          currency: 'EUR',
          startDate: '2024-03-01',
          endDate: '2024-03-31',
          createdAt: '2024-02-20T09:00:00.000Z',
        },
      ]);
    });
  });

  describe('when spend is recorded', () => {
    it('writes one row per day and source', () => {
      const { spend } = campaignChanges([
        recorded(20, '2024-03-01', 12_000, '2024-03-02T06:00:00.000Z'),
        recorded(21, '2024-03-02', 15_000, '2024-03-03T06:00:00.000Z'),
      ]);

      expect(spend).toEqual([
        {
          campaignId: 'spring-webinar',
          day: '2024-03-01',
          source: 'linkedin_ads',
          amountMinor: 12_000,
          currency: 'EUR',
          recordedAt: '2024-03-02T06:00:00.000Z',
          correctedAt: null,
          corrections: 0,
        },
        expect.objectContaining({ day: '2024-03-02', amountMinor: 15_000, corrections: 0 }),
      ]);
    });

    it('replaces the figure with a correction and keeps when it was first recorded', () => {
      const { spend } = campaignChanges([
        recorded(20, '2024-03-01', 12_000, '2024-03-02T06:00:00.000Z'),
        corrected(30, '2024-03-01', 12_000, 11_500, '2024-03-05T06:00:00.000Z'),
        corrected(31, '2024-03-01', 11_500, 11_800, '2024-03-09T06:00:00.000Z'),
      ]);

      expect(spend).toEqual([
        expect.objectContaining({
          amountMinor: 11_800,
          recordedAt: '2024-03-02T06:00:00.000Z',
          correctedAt: '2024-03-09T06:00:00.000Z',
          corrections: 2,
        }),
      ]);
    });

    it('leaves the first recording time to the stored row when the batch holds only a correction', () => {
      const [row] = campaignChanges([corrected(30, '2024-03-01', 12_000, 11_500, '2024-03-05T06:00:00.000Z')]).spend;

      expect(row).toMatchObject({ amountMinor: 11_500, recordedAt: null, correctedAt: '2024-03-05T06:00:00.000Z', corrections: 1 });
    });
  });

  it('refuses an event type it does not know, so the projection stalls visibly', () => {
    expect(() => campaignChanges([event(40, 'CampaignPaused', {}, '2024-03-10T09:00:00.000Z')])).toThrow(
      'campaigns projection cannot apply event type CampaignPaused',
    );
  });

  it('has nothing to change for an empty batch', () => {
    expect(campaignChanges([])).toEqual({ campaigns: [], spend: [] });
  });
});
