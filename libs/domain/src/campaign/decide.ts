import { channels } from '../channel/channel';
import { assertNever, type Decider } from '../shared/decider';
import { money } from '../shared/money';
import { calendarDate, utcTimestamp } from '../shared/time';
import { normaliseUtm } from '../shared/utm';
import { oneOf, requiredId, requiredText, sourceSystem } from '../shared/validation';
import type { CampaignCommand, CreateCampaign, RecordCampaignSpend } from './commands';
import { campaignAlreadyExists, campaignEndsBeforeStart, campaignNotFound, spendCurrencyMismatch } from './errors';
import type { CampaignEvent } from './events';
import { evolve, initial, spendKey, type CampaignState } from './state';

type ActiveCampaign = Extract<CampaignState, { status: 'active' }>;

function createCampaign({ data }: CreateCampaign, state: CampaignState): CampaignEvent[] {
  if (state.status !== 'unknown') {
    throw campaignAlreadyExists(data.campaignId);
  }
  const startDate = calendarDate(data.startDate, 'startDate');
  const endDate = data.endDate == null ? null : calendarDate(data.endDate, 'endDate');
  // ISO calendar dates compare correctly as strings.
  if (endDate !== null && endDate < startDate) {
    throw campaignEndsBeforeStart(startDate, endDate);
  }
  return [
    {
      type: 'CampaignCreated',
      data: {
        campaignId: requiredId(data.campaignId, 'campaignId'),
        name: requiredText(data.name, 'name', 200),
        channel: oneOf(data.channel, channels, 'channel'),
        utm: normaliseUtm(data.utm),
        budget: money(data.budget, 'budget'),
        startDate,
        endDate,
        createdAt: utcTimestamp(data.createdAt, 'createdAt'),
      },
    },
  ];
}

/**
 * Idempotent per (day, source): the same figure again records nothing, a
 * different one is a correction. Spend dated outside the campaign's dates is
 * accepted, because platforms bill trailing clicks after a campaign ends.
 */
function recordCampaignSpend({ data }: RecordCampaignSpend, campaign: ActiveCampaign): CampaignEvent[] {
  const day = calendarDate(data.day, 'day');
  const source = sourceSystem(data.source, 'source');
  const amount = money(data.amount, 'amount');
  const at = utcTimestamp(data.recordedAt, 'recordedAt');
  if (amount.currency !== campaign.currency) {
    throw spendCurrencyMismatch(campaign.currency, amount.currency);
  }
  const previous = campaign.spend.get(spendKey(day, source));
  const { campaignId } = campaign;
  if (previous === undefined) {
    return [{ type: 'CampaignSpendRecorded', data: { campaignId, day, source, amount, recordedAt: at } }];
  }
  if (previous === amount.amountMinor) {
    return [];
  }
  const previousAmount = { amountMinor: previous, currency: campaign.currency };
  return [{ type: 'CampaignSpendCorrected', data: { campaignId, day, source, previousAmount, amount, correctedAt: at } }];
}

export function decide(command: CampaignCommand, state: CampaignState): CampaignEvent[] {
  switch (command.type) {
    case 'CreateCampaign':
      return createCampaign(command, state);
    case 'RecordCampaignSpend':
      if (state.status !== 'active') {
        throw campaignNotFound(command.data.campaignId);
      }
      return recordCampaignSpend(command, state);
    default:
      return assertNever(command);
  }
}

export const campaignDecider: Decider<CampaignCommand, CampaignEvent, CampaignState> = { initialState: initial, evolve, decide };
