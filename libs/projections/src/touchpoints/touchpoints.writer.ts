import { IDENTIFIER, type Projection, type ProjectionSchema, type ProjectionTransaction } from '../runner/projection';
import { touchpointRows, type TouchpointRow } from './touchpoints.projection';

export const TOUCHPOINTS_PROJECTION = 'touchpoints';

/** `touchpoints`: one row per recorded touch, keyed by its idempotency key. */
export const touchpointsProjection: Projection = {
  name: TOUCHPOINTS_PROJECTION,
  // v2 compares identifiers by their bytes (IDENTIFIER).
  version: 2,
  consumes: { streamNamePrefixes: ['journey-'] },
  createTables: (schema: ProjectionSchema) => [
    `CREATE TABLE ${schema.table('touchpoints')} (
       touchpoint_id ${IDENTIFIER} PRIMARY KEY,
       person_key ${IDENTIFIER} NOT NULL,
       contact_id ${IDENTIFIER},
       anonymous_id ${IDENTIFIER},
       account_id ${IDENTIFIER},
       kind text NOT NULL,
       channel text NOT NULL,
       source text NOT NULL,
       utm_source text,
       utm_medium text,
       utm_campaign text,
       utm_content text,
       utm_term text,
       referrer text,
       campaign_id ${IDENTIFIER},
       occurred_at timestamptz NOT NULL,
       commit_position numeric(20,0) NOT NULL,
       interaction boolean NOT NULL
     )`,
    // A journey is read per person key (a contact id or every stitched anon-… key) in time order.
    `CREATE INDEX ON ${schema.table('touchpoints')} (person_key, occurred_at, commit_position)`,
    `CREATE INDEX ON ${schema.table('touchpoints')} (account_id, occurred_at) WHERE account_id IS NOT NULL`,
    `CREATE INDEX ON ${schema.table('touchpoints')} (campaign_id, occurred_at) WHERE campaign_id IS NOT NULL`,
  ],
  apply: (batch, tx) => writeTouchpoints(touchpointRows(batch), tx),
};

export async function writeTouchpoints(rows: readonly TouchpointRow[], tx: ProjectionTransaction): Promise<void> {
  if (rows.length === 0) return;
  // A touch is immutable once recorded: a second delivery of the same id changes nothing.
  await tx.query(
    `INSERT INTO ${tx.schema.table('touchpoints')}
       (touchpoint_id, person_key, contact_id, anonymous_id, account_id, kind, channel, source, utm_source, utm_medium,
        utm_campaign, utm_content, utm_term, referrer, campaign_id, occurred_at, commit_position, interaction)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                          $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[],
                          $16::timestamptz[], $17::numeric[], $18::boolean[])
     ON CONFLICT (touchpoint_id) DO NOTHING`,
    [
      rows.map((row) => row.touchpointId),
      rows.map((row) => row.personKey),
      rows.map((row) => row.contactId),
      rows.map((row) => row.anonymousId),
      rows.map((row) => row.accountId),
      rows.map((row) => row.kind),
      rows.map((row) => row.channel),
      rows.map((row) => row.source),
      rows.map((row) => row.utmSource),
      rows.map((row) => row.utmMedium),
      rows.map((row) => row.utmCampaign),
      rows.map((row) => row.utmContent),
      rows.map((row) => row.utmTerm),
      rows.map((row) => row.referrer),
      rows.map((row) => row.campaignId),
      rows.map((row) => row.occurredAt),
      rows.map((row) => row.commitPosition),
      rows.map((row) => row.interaction),
    ],
  );
}
