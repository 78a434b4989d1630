import type { CampaignEvent } from '@revops/domain';
import type { RecordedEnvelope } from '@revops/event-store';

export interface CampaignRow {
  readonly campaignId: string;
  readonly name: string;
  readonly channel: string;
  readonly utmSource: string | null;
  readonly utmMedium: string | null;
  readonly utmCampaign: string | null;
  readonly utmContent: string | null;
  readonly utmTerm: string | null;
  readonly budgetMinor: number;
  readonly currency: string;
  readonly startDate: string;
  readonly endDate: string | null;
  readonly createdAt: string;
}

/**
 * The spend of one campaign on one day from one source, as last stated. Ad platforms restate
 * past days, and a correction carries the new total, so the latest figure replaces the stored
 * one rather than adding to it.
 */
export interface CampaignSpendRow {
  readonly campaignId: string;
  readonly day: string;
  readonly source: string;
  readonly amountMinor: number;
  readonly currency: string;
  /** Business time of the first figure; null when the batch only corrects one stored earlier. */
  readonly recordedAt: string | null;
  /** Business time of the latest correction, null while the first figure stands. */
  readonly correctedAt: string | null;
  /** Corrections in this batch; the writer adds them to the stored count. */
  readonly corrections: number;
}

export interface CampaignChanges {
  readonly campaigns: readonly CampaignRow[];
  readonly spend: readonly CampaignSpendRow[];
}

const spendKey = (campaignId: string, day: string, source: string) => `${campaignId}\u0000${day}\u0000${source}`;

/** Folds a batch of campaign events into campaign rows and one spend row per (campaign, day, source). */
export function campaignChanges(events: readonly RecordedEnvelope[]): CampaignChanges {
  const campaigns = new Map<string, CampaignRow>();
  const spend = new Map<string, CampaignSpendRow>();

  for (const envelope of events) {
    const event = envelope as unknown as CampaignEvent;
    const occurredAt = envelope.metadata.occurredAt;
    switch (event.type) {
      case 'CampaignCreated': {
        const { data } = event;
        campaigns.set(data.campaignId, {
          campaignId: data.campaignId,
          name: data.name,
          channel: data.channel,
          utmSource: data.utm.source,
          utmMedium: data.utm.medium,
          utmCampaign: data.utm.campaign,
          utmContent: data.utm.content,
          utmTerm: data.utm.term,
          budgetMinor: data.budget.amountMinor,
          currency: data.budget.currency,
          startDate: data.startDate,
          endDate: data.endDate,
          createdAt: occurredAt,
        });
        break;
      }
      case 'CampaignSpendRecorded':
      case 'CampaignSpendCorrected': {
        // Both carry the day's new total; a correction also counts itself and its time.
        const { data } = event;
        const key = spendKey(data.campaignId, data.day, data.source);
        const previous = spend.get(key);
        const corrected = event.type === 'CampaignSpendCorrected';
        spend.set(key, {
          campaignId: data.campaignId,
          day: data.day,
          source: data.source,
          amountMinor: data.amount.amountMinor,
          currency: data.amount.currency,
          recordedAt: previous?.recordedAt ?? (corrected ? null : occurredAt),
          correctedAt: corrected ? occurredAt : (previous?.correctedAt ?? null),
          corrections: (previous?.corrections ?? 0) + (corrected ? 1 : 0),
        });
        break;
      }
      default:
        assertNever(event);
    }
  }
  return { campaigns: [...campaigns.values()], spend: [...spend.values()] };
}

// Anything else on a campaign stream is an event this version does not know: failing stalls
// the projection with the event named, rather than leaving spend silently wrong.
function assertNever(event: never): never {
  throw new Error(`campaigns projection cannot apply event type ${(event as { type: string }).type}`);
}
