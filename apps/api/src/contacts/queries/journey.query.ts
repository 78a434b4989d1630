import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { isAnonymousPersonKey, type Channel, type TouchpointKind } from '@revops/domain';
import type { Position } from '@revops/event-store';
import { ReadModels } from '../../common/read-side/read-models';
import { utcText } from '@revops/projections';
import type { JourneyTouchpoint } from '../graphql/journey.types';

export class JourneyQuery extends Query<JourneyTouchpoint[]> {
  constructor(
    readonly contactId: string,
    readonly minPosition?: Position,
  ) {
    super();
  }
}

interface StoredTouchpoint {
  touchpoint_id: string;
  person_key: string;
  anonymous_id: string | null;
  kind: TouchpointKind;
  channel: Channel;
  source: string;
  occurred_at: string;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_content: string | null;
  utm_term: string | null;
  referrer: string | null;
  campaign_id: string | null;
  interaction: boolean;
}

@QueryHandler(JourneyQuery)
export class JourneyQueryHandler implements IQueryHandler<JourneyQuery, JourneyTouchpoint[]> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ contactId, minPosition }: JourneyQuery): Promise<JourneyTouchpoint[]> {
    // Identity links stitch the anonymous history in, so both read models must have passed
    // the caller's write: an `identify` lands in contacts, the touches in touchpoints.
    const view = await this.readModels.open(['touchpoints', 'contacts'], minPosition);
    const rows = await view.query<StoredTouchpoint>(
      `SELECT touchpoint_id, person_key, anonymous_id, kind, channel, source, ${utcText('occurred_at')} AS occurred_at,
              utm_source, utm_medium, utm_campaign, utm_content, utm_term, referrer, campaign_id, interaction
         FROM ${view.table('touchpoints', 'touchpoints')} t
        WHERE t.person_key = $1
           OR t.person_key IN (SELECT 'anon-' || anonymous_id FROM ${view.table('contacts', 'contact_identity_links')} WHERE contact_id = $1)
        ORDER BY t.occurred_at, t.commit_position`,
      [contactId],
    );
    return rows.map((row) => ({
      id: row.touchpoint_id,
      kind: row.kind,
      channel: row.channel,
      source: row.source,
      occurredAt: row.occurred_at,
      utmSource: row.utm_source,
      utmMedium: row.utm_medium,
      utmCampaign: row.utm_campaign,
      utmContent: row.utm_content,
      utmTerm: row.utm_term,
      referrer: row.referrer,
      campaignId: row.campaign_id,
      interaction: row.interaction,
      anonymous: isAnonymousPersonKey(row.person_key),
      anonymousId: row.anonymous_id,
    }));
  }
}
