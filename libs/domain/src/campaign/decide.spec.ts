import type { Channel } from '../channel/channel';
import { given, stateAfter } from '../testing/given-when-then';
import type { CreateCampaign, RecordCampaignSpend } from './commands';
import { campaignDecider } from './decide';
import type { CampaignCreated, CampaignSpendCorrected, CampaignSpendRecorded } from './events';

const CAMPAIGN = 'spring-webinar-2024';
const CREATED_AT = '2024-02-15T12:00:00.000Z';
const RECORDED_AT = '2024-03-02T06:00:00.000Z';
const CORRECTED_AT = '2024-03-05T06:00:00.000Z';

const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

const campaignCreated = (data: Partial<CampaignCreated['data']> = {}): CampaignCreated => ({
  type: 'CampaignCreated',
  data: {
    campaignId: CAMPAIGN,
    name: 'Spring webinar 2024',
    channel: 'paid_social',
    utm: { source: 'linkedin', medium: 'paid_social', campaign: 'spring_webinar_2024', content: null, term: null },
    budget: eur(1_500_000),
    startDate: '2024-03-01',
    endDate: '2024-03-31',
    createdAt: CREATED_AT,
    ...data,
  },
});

const spendRecorded = (day: string, source: string, amountMinor: number): CampaignSpendRecorded => ({
  type: 'CampaignSpendRecorded',
  data: { campaignId: CAMPAIGN, day, source, amount: eur(amountMinor), recordedAt: RECORDED_AT },
});

const createCampaign = (data: Partial<CreateCampaign['data']> = {}): CreateCampaign => ({
  type: 'CreateCampaign',
  data: {
    campaignId: CAMPAIGN,
    name: 'Spring webinar 2024',
    channel: 'paid_social',
    utm: { source: ' LinkedIn ', medium: 'Paid_Social', campaign: 'spring_webinar_2024' },
    budget: eur(1_500_000),
    startDate: '2024-03-01',
    endDate: '2024-03-31',
    createdAt: CREATED_AT,
    ...data,
  },
});

type SpendOverrides = Partial<RecordCampaignSpend['data']>;

const recordSpend = (day: string, source: string, amountMinor: number, data: SpendOverrides = {}): RecordCampaignSpend => ({
  type: 'RecordCampaignSpend',
  data: { campaignId: CAMPAIGN, day, source, amount: eur(amountMinor), recordedAt: RECORDED_AT, ...data },
});

const spendCorrected = (previous: number, amountMinor: number): CampaignSpendCorrected => ({
  type: 'CampaignSpendCorrected',
  data: {
    campaignId: CAMPAIGN,
    day: '2024-03-01',
    source: 'linkedin_ads',
    previousAmount: eur(previous),
    amount: eur(amountMinor),
    correctedAt: CORRECTED_AT,
  },
});

describe('Campaign', () => {
  describe('when created', () => {
    it('records its channel, normalised UTM values, budget and dates', () => {
      given(campaignDecider).when(createCampaign()).then(campaignCreated());
    });

    it('runs always-on without an end date', () => {
      given(campaignDecider).when(createCampaign({ endDate: null })).then(campaignCreated({ endDate: null }));
    });

    it('refuses to create the same campaign twice', () => {
      given(campaignDecider, campaignCreated()).when(createCampaign()).thenThrows('CAMPAIGN_ALREADY_EXISTS');
    });

    it('refuses to end before it starts', () => {
      given(campaignDecider).when(createCampaign({ endDate: '2024-02-28' })).thenThrows('CAMPAIGN_ENDS_BEFORE_START', 'endDate');
    });

    it('refuses a channel that is not on the list', () => {
      given(campaignDecider).when(createCampaign({ channel: 'tv' as Channel })).thenThrows('UNSUPPORTED_VALUE', 'channel');
    });

    it('refuses a negative budget', () => {
      given(campaignDecider).when(createCampaign({ budget: eur(-1) })).thenThrows('INVALID_AMOUNT', 'budget.amountMinor');
    });

    it('refuses a start date that is not a calendar date', () => {
      given(campaignDecider).when(createCampaign({ startDate: '2024-13-01' })).thenThrows('INVALID_DATE', 'startDate');
    });
  });

  describe('when its history is replayed', () => {
    it('ignores spend recorded before the campaign, so a replay never breaks', () => {
      expect(stateAfter(campaignDecider, spendRecorded('2024-03-01', 'linkedin_ads', 1))).toEqual(campaignDecider.initialState());
    });
  });

  describe('when spend is recorded', () => {
    it('records the first figure for a day and source', () => {
      given(campaignDecider, campaignCreated())
        .when(recordSpend('2024-03-01', 'LinkedIn_Ads', 42_000))
        .then(spendRecorded('2024-03-01', 'linkedin_ads', 42_000));
    });

    it('records nothing when the same figure arrives again', () => {
      given(campaignDecider, campaignCreated(), spendRecorded('2024-03-01', 'linkedin_ads', 42_000))
        .when(recordSpend('2024-03-01', 'linkedin_ads', 42_000, { recordedAt: CORRECTED_AT }))
        .then();
    });

    it('corrects a day whose figure changed, carrying the new total', () => {
      given(campaignDecider, campaignCreated(), spendRecorded('2024-03-01', 'linkedin_ads', 42_000))
        .when(recordSpend('2024-03-01', 'linkedin_ads', 45_500, { recordedAt: CORRECTED_AT }))
        .then(spendCorrected(42_000, 45_500));
    });

    it('compares a repeat with the latest correction', () => {
      given(campaignDecider, campaignCreated(), spendRecorded('2024-03-01', 'linkedin_ads', 42_000), spendCorrected(42_000, 45_500))
        .when(recordSpend('2024-03-01', 'linkedin_ads', 45_500))
        .then();
    });

    it('keeps sources of the same day apart', () => {
      given(campaignDecider, campaignCreated(), spendRecorded('2024-03-01', 'linkedin_ads', 42_000))
        .when(recordSpend('2024-03-01', 'invoice', 10_000))
        .then(spendRecorded('2024-03-01', 'invoice', 10_000));
    });

    it('keeps days of the same source apart', () => {
      given(campaignDecider, campaignCreated(), spendRecorded('2024-03-01', 'linkedin_ads', 42_000))
        .when(recordSpend('2024-03-02', 'linkedin_ads', 42_000))
        .then(spendRecorded('2024-03-02', 'linkedin_ads', 42_000));
    });

    it('accepts spend billed after the campaign ended', () => {
      given(campaignDecider, campaignCreated())
        .when(recordSpend('2024-04-02', 'linkedin_ads', 900))
        .then(spendRecorded('2024-04-02', 'linkedin_ads', 900));
    });

    it('refuses spend in a currency other than the budget', () => {
      given(campaignDecider, campaignCreated())
        .when(recordSpend('2024-03-01', 'linkedin_ads', 42_000, { amount: { amountMinor: 42_000, currency: 'USD' } }))
        .thenThrows('CURRENCY_MISMATCH', 'amount.currency');
    });

    it('refuses negative spend', () => {
      given(campaignDecider, campaignCreated())
        .when(recordSpend('2024-03-01', 'linkedin_ads', -5))
        .thenThrows('INVALID_AMOUNT', 'amount.amountMinor');
    });

    it('refuses a day that is not a calendar date', () => {
      given(campaignDecider, campaignCreated()).when(recordSpend('2024-03-01T00:00:00Z', 'linkedin_ads', 5)).thenThrows('INVALID_DATE', 'day');
    });

    it('refuses spend without a source', () => {
      given(campaignDecider, campaignCreated()).when(recordSpend('2024-03-01', ' ', 5)).thenThrows('REQUIRED_FIELD_MISSING', 'source');
    });

    it('refuses spend for a campaign that was never created', () => {
      given(campaignDecider).when(recordSpend('2024-03-01', 'linkedin_ads', 42_000)).thenThrows('CAMPAIGN_NOT_FOUND');
    });
  });
});
