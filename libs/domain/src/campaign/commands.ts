import type { Channel } from '../channel/channel';
import type { Money } from '../shared/money';
import type { CalendarDate, UtcTimestamp } from '../shared/time';
import type { UtmInput } from '../shared/utm';

export type CreateCampaign = {
  type: 'CreateCampaign';
  data: {
    campaignId: string;
    name: string;
    channel: Channel;
    utm?: UtmInput | null;
    budget: Money;
    startDate: CalendarDate;
    endDate?: CalendarDate | null;
    createdAt: UtcTimestamp;
  };
};

/** The total spend of one day from one source (an ad platform, an invoice); sending it again is safe. */
export type RecordCampaignSpend = {
  type: 'RecordCampaignSpend';
  data: { campaignId: string; day: CalendarDate; source: string; amount: Money; recordedAt: UtcTimestamp };
};

export type CampaignCommand = CreateCampaign | RecordCampaignSpend;
