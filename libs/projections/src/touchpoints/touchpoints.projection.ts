import { isInteraction, type JourneyEvent } from '@revops/domain';
import type { RecordedEnvelope } from '@revops/event-store';

/** One recorded touch, as journeys and attribution read it. */
export interface TouchpointRow {
  readonly touchpointId: string;
  readonly personKey: string;
  readonly contactId: string | null;
  readonly anonymousId: string | null;
  readonly accountId: string | null;
  readonly kind: string;
  readonly channel: string;
  readonly source: string;
  readonly utmSource: string | null;
  readonly utmMedium: string | null;
  readonly utmCampaign: string | null;
  readonly utmContent: string | null;
  readonly utmTerm: string | null;
  readonly referrer: string | null;
  readonly campaignId: string | null;
  readonly occurredAt: string;
  /** `$all` commit position, decimal: attribution orders touches sharing an `occurredAt` by it. */
  readonly commitPosition: string;
  /** False for touches the person did not act on (an email sent, an ad shown). */
  readonly interaction: boolean;
}

/**
 * One row per TouchpointRecorded. A touch delivered twice (a retried ingestion the store did
 * not deduplicate) keeps its first recording, here and in the writer.
 */
export function touchpointRows(events: readonly RecordedEnvelope[]): TouchpointRow[] {
  const rows = new Map<string, TouchpointRow>();
  for (const envelope of events) {
    const event = envelope as unknown as JourneyEvent;
    switch (event.type) {
      case 'TouchpointRecorded': {
        const { data } = event;
        if (rows.has(data.touchpointId)) break;
        rows.set(data.touchpointId, {
          touchpointId: data.touchpointId,
          personKey: data.personKey,
          contactId: data.contactId,
          anonymousId: data.anonymousId,
          accountId: data.accountId,
          kind: data.kind,
          channel: data.channel,
          source: data.source,
          utmSource: data.utm.source,
          utmMedium: data.utm.medium,
          utmCampaign: data.utm.campaign,
          utmContent: data.utm.content,
          utmTerm: data.utm.term,
          referrer: data.referrer,
          campaignId: data.campaignId,
          // The touch's own time and the envelope's business time are the same instant; the
          // envelope is what every read model reads time from.
          occurredAt: envelope.metadata.occurredAt,
          commitPosition: envelope.position.commit.toString(),
          interaction: isInteraction(data.kind),
        });
        break;
      }
      default:
        assertNever(event.type);
    }
  }
  return [...rows.values()];
}

// Anything else on a journey stream is an event this version does not know: failing stalls
// the projection with the event named, rather than losing touches silently.
function assertNever(type: never): never {
  throw new Error(`touchpoints projection cannot apply event type ${type as string}`);
}
