import { IDENTIFIER, type Projection, type ProjectionSchema, type ProjectionTransaction } from '../runner/projection';
import { campaignChanges, type CampaignChanges } from './campaigns.projection';

export const CAMPAIGNS_PROJECTION = 'campaigns';

/** `campaigns` (one row per campaign) and `campaign_daily_spend` (per campaign, day and source). */
export const campaignsProjection: Projection = {
  name: CAMPAIGNS_PROJECTION,
  // v2 compares identifiers by their bytes (IDENTIFIER).
  version: 2,
  consumes: { streamNamePrefixes: ['campaign-'] },
  createTables: (schema: ProjectionSchema) => [
    `CREATE TABLE ${schema.table('campaigns')} (
       campaign_id ${IDENTIFIER} PRIMARY KEY,
       name text NOT NULL,
       channel text NOT NULL,
       utm_source text,
       utm_medium text,
       utm_campaign text,
       utm_content text,
       utm_term text,
       budget_minor bigint NOT NULL,
       currency char(3) NOT NULL,
       start_date date NOT NULL,
       end_date date,
       created_at timestamptz NOT NULL
     )`,
    // Touchpoints that carry no campaign id are matched to campaigns by their tagging.
    `CREATE INDEX ON ${schema.table('campaigns')} (utm_source, utm_medium, utm_campaign)`,
    `CREATE TABLE ${schema.table('campaign_daily_spend')} (
       campaign_id ${IDENTIFIER} NOT NULL,
       day date NOT NULL,
       source text NOT NULL,
       amount_minor bigint NOT NULL,
       currency char(3) NOT NULL,
       -- Nullable: a batch holding only a correction upserts without it, and NOT NULL is
       -- checked before ON CONFLICT would keep the stored value.
       recorded_at timestamptz,
       corrected_at timestamptz,
       corrections integer NOT NULL,
       PRIMARY KEY (campaign_id, day, source)
     )`,
    `CREATE INDEX ON ${schema.table('campaign_daily_spend')} (day)`,
  ],
  apply: (batch, tx) => writeCampaigns(campaignChanges(batch), tx),
};

export async function writeCampaigns(changes: CampaignChanges, tx: ProjectionTransaction): Promise<void> {
  const { campaigns, spend } = changes;
  if (campaigns.length > 0) {
    await tx.query(
      `INSERT INTO ${tx.schema.table('campaigns')}
         (campaign_id, name, channel, utm_source, utm_medium, utm_campaign, utm_content, utm_term, budget_minor, currency,
          start_date, end_date, created_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                            $9::bigint[], $10::text[], $11::date[], $12::date[], $13::timestamptz[])
       ON CONFLICT (campaign_id) DO UPDATE
          SET name = excluded.name, channel = excluded.channel, utm_source = excluded.utm_source,
              utm_medium = excluded.utm_medium, utm_campaign = excluded.utm_campaign, utm_content = excluded.utm_content,
              utm_term = excluded.utm_term, budget_minor = excluded.budget_minor, currency = excluded.currency,
              start_date = excluded.start_date, end_date = excluded.end_date, created_at = excluded.created_at`,
      [
        campaigns.map((row) => row.campaignId),
        campaigns.map((row) => row.name),
        campaigns.map((row) => row.channel),
        campaigns.map((row) => row.utmSource),
        campaigns.map((row) => row.utmMedium),
        campaigns.map((row) => row.utmCampaign),
        campaigns.map((row) => row.utmContent),
        campaigns.map((row) => row.utmTerm),
        campaigns.map((row) => String(row.budgetMinor)),
        campaigns.map((row) => row.currency),
        campaigns.map((row) => row.startDate),
        campaigns.map((row) => row.endDate),
        campaigns.map((row) => row.createdAt),
      ],
    );
  }
  if (spend.length > 0) {
    // The batch's figure is the latest in stream order, so it replaces the stored one; the
    // first recording time stays and the corrections add up.
    await tx.query(
      `INSERT INTO ${tx.schema.table('campaign_daily_spend')} AS s
         (campaign_id, day, source, amount_minor, currency, recorded_at, corrected_at, corrections)
       SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::bigint[], $5::text[], $6::timestamptz[],
                            $7::timestamptz[], $8::int[])
       ON CONFLICT (campaign_id, day, source) DO UPDATE
          SET amount_minor = excluded.amount_minor, currency = excluded.currency,
              recorded_at = COALESCE(s.recorded_at, excluded.recorded_at),
              corrected_at = COALESCE(excluded.corrected_at, s.corrected_at),
              corrections = s.corrections + excluded.corrections`,
      [
        spend.map((row) => row.campaignId),
        spend.map((row) => row.day),
        spend.map((row) => row.source),
        spend.map((row) => String(row.amountMinor)),
        spend.map((row) => row.currency),
        spend.map((row) => row.recordedAt),
        spend.map((row) => row.correctedAt),
        spend.map((row) => row.corrections),
      ],
    );
  }
}
