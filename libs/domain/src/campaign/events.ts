import type { Channel } from '../channel/channel';
import type { Money } from '../shared/money';
import type { CalendarDate, UtcTimestamp } from '../shared/time';
import type { Utm } from '../shared/utm';

export type CampaignCreated = {
  type: 'CampaignCreated';
  data: {
    campaignId: string;
    name: string;
    channel: Channel;
    /** The tagging its links carry, normalised like touchpoint UTM values so the two can be matched. */
    utm: Utm;
    budget: Money;
    startDate: CalendarDate;
    /** Null for an always-on campaign. */
    endDate: CalendarDate | null;
    createdAt: UtcTimestamp;
  };
};

/** The first spend figure for one (day, source). */
export type CampaignSpendRecorded = {
  type: 'CampaignSpendRecorded';
  data: { campaignId: string; day: CalendarDate; source: string; amount: Money; recordedAt: UtcTimestamp };
};

/**
 * A new figure for a (day, source) already recorded; ad platforms restate
 * spend for days after the fact. `amount` is the new total for that key, not
 * a delta, so the read model just overwrites it.
 */
export type CampaignSpendCorrected = {
  type: 'CampaignSpendCorrected';
  data: {
    campaignId: string;
    day: CalendarDate;
    source: string;
    previousAmount: Money;
    amount: Money;
    correctedAt: UtcTimestamp;
  };
};

export type CampaignEvent = CampaignCreated | CampaignSpendRecorded | CampaignSpendCorrected;

export const campaignEventSchemaVersions = {
  CampaignCreated: 1,
  CampaignSpendRecorded: 1,
  CampaignSpendCorrected: 1,
} as const satisfies Record<CampaignEvent['type'], number>;
