import { DEFAULT_LOOKBACK_DAYS, type Touch } from '@revops/attribution';
import { utcText } from '../runner/utc-text';
import type { DealFacts, DealJourney } from './attribution.projection';

/** Runs SQL against one version of the attribution read model: the projection's transaction or a query's view. */
export interface AttributionSql {
  table(name: string): string;
  query<Row = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]): Promise<Row[]>;
}

interface DealRow {
  opportunity_id: string;
  opened_at: string;
  amount_minor: string;
  currency: string;
  won_at: string | null;
  won_amount_minor: string | null;
  won_currency: string | null;
  lead_created_at: string | null;
}

interface TouchRow {
  opportunity_id: string;
  touchpoint_id: string;
  occurred_at: string;
  commit_position: string;
  kind: string;
  channel: string;
  campaign_id: string | null;
  source: string | null;
  medium: string | null;
  content: string | null;
}

/*
 * Deals and contacts are looked up by id through `unnest(ids) JOIN`, never `= ANY(ids)`: a
 * table filled during a rebuild has no statistics, and the planner takes a list of a few
 * hundred ids for most of the table, reading all of it for every batch.
 */

/** The tables `readDealJourneys` reads. */
export const JOURNEY_TABLES = ['deals', 'deal_contacts', 'leads', 'person_keys', 'touches'] as const;

/**
 * The facts and candidate touches of each deal: every interaction of a contact with a role on
 * it (by the contact's own key, its stitched `anon-…` keys and those of contacts merged into
 * it) and of its account, from `lookbackDays` before opening to the win (or the opening).
 * Deals not in the read model are left out.
 */
export async function readDealJourneys(
  sql: AttributionSql,
  opportunityIds: readonly string[],
  lookbackDays: number = DEFAULT_LOOKBACK_DAYS,
): Promise<DealJourney[]> {
  if (opportunityIds.length === 0) return [];
  const ids = [...new Set(opportunityIds)];
  const oldestLead = `(SELECT min(l.lead_at) FROM ${sql.table('deal_contacts')} dc JOIN ${sql.table('leads')} l ON l.contact_id = dc.contact_id
                        WHERE dc.opportunity_id = d.opportunity_id)`;
  const [deals, touches] = await Promise.all([
    sql.query<DealRow>(
      `SELECT d.opportunity_id, ${utcText('d.opened_at')} AS opened_at, d.amount_minor::text AS amount_minor, d.currency,
              ${utcText('d.won_at')} AS won_at, d.won_amount_minor::text AS won_amount_minor, d.won_currency,
              ${utcText(oldestLead)} AS lead_created_at
         FROM unnest($1::text[]) AS id(opportunity_id) JOIN ${sql.table('deals')} d USING (opportunity_id)`,
      [ids],
    ),
    sql.query<TouchRow>(
      `WITH deal AS (
         SELECT opportunity_id, account_id, opened_at - $2::float8 * interval '1 day' AS earliest, coalesce(won_at, opened_at) AS latest
           FROM unnest($1::text[]) AS id(opportunity_id) JOIN ${sql.table('deals')} USING (opportunity_id)
       ),
       contact AS (
         SELECT dc.opportunity_id, dc.contact_id
           FROM unnest($1::text[]) AS id(opportunity_id) JOIN ${sql.table('deal_contacts')} dc USING (opportunity_id)
       ),
       person AS (
         SELECT opportunity_id, contact_id AS person_key FROM contact
         UNION
         SELECT c.opportunity_id, pk.person_key FROM contact c JOIN ${sql.table('person_keys')} pk ON pk.contact_id = c.contact_id
       ),
       reached AS (
         -- Per person key through its index: without statistics (a table filled during a
         -- rebuild has none) the planner would rather range-scan every touch of the window
         -- and match keys afterwards. OFFSET 0 keeps it from flattening the lateral reads.
         SELECT d.opportunity_id, t.* FROM person p
           JOIN deal d ON d.opportunity_id = p.opportunity_id
           CROSS JOIN LATERAL (
             SELECT * FROM ${sql.table('touches')} t
              WHERE t.person_key = p.person_key AND t.occurred_at BETWEEN d.earliest AND d.latest OFFSET 0
           ) t
         UNION ALL
         SELECT d.opportunity_id, t.* FROM deal d
           CROSS JOIN LATERAL (
             SELECT * FROM ${sql.table('touches')} t
              WHERE t.account_id = d.account_id AND t.occurred_at BETWEEN d.earliest AND d.latest OFFSET 0
           ) t
       )
       -- A touch reached twice (through a contact and the account) is one touch: the journey
       -- builder keeps it once.
       SELECT opportunity_id, touchpoint_id, ${utcText('occurred_at')} AS occurred_at, commit_position::text AS commit_position, kind, channel,
              campaign_id, source, medium, content
         FROM reached`,
      [ids, lookbackDays],
    ),
  ]);
  return journeysOf(deals, touches);
}

/**
 * `readDealJourneys` for every deal whose id lies between `first` and `last` (inclusive, in the
 * identifiers' byte order), for a rebuild's finish, which credits every deal part by part right
 * after ANALYZE. The same journeys, in plain joins over a range of keys that the planner, with
 * statistics, fits to the data: a range of 2,000 deals and their 3,400 contacts is read in order
 * from each key. The guarded reads by a list of ids (above) sort, deduplicate and probe per id:
 * crediting 106,000 deals this way took PostgreSQL 1.8 s of CPU instead of 3.5 s.
 */
export async function readDealJourneysInRange(
  sql: AttributionSql,
  first: string,
  last: string,
  lookbackDays: number = DEFAULT_LOOKBACK_DAYS,
): Promise<DealJourney[]> {
  const deals = sql.table('deals');
  const inRange = 'd.opportunity_id BETWEEN $1 AND $2';
  // The range again on the contacts: the planner carries an equality from one side of a join to
  // the other, not a range, and would otherwise read deal_contacts from its first key on.
  const contactsInRange = `${sql.table('deal_contacts')} dc ON dc.opportunity_id = d.opportunity_id AND dc.opportunity_id BETWEEN $1 AND $2`;
  const inWindow = `t.occurred_at BETWEEN d.opened_at - $3::float8 * interval '1 day' AND coalesce(d.won_at, d.opened_at)`;
  const touchColumns = `d.opportunity_id, t.touchpoint_id, ${utcText('t.occurred_at')} AS occurred_at, t.commit_position::text AS commit_position,
              t.kind, t.channel, t.campaign_id, t.source, t.medium, t.content`;
  const [dealRows, touchRows] = await Promise.all([
    sql.query<DealRow>(
      `SELECT d.opportunity_id, ${utcText('d.opened_at')} AS opened_at, d.amount_minor::text AS amount_minor, d.currency,
              ${utcText('d.won_at')} AS won_at, d.won_amount_minor::text AS won_amount_minor, d.won_currency,
              ${utcText('lead.lead_created_at')} AS lead_created_at
         FROM ${deals} d
         LEFT JOIN (SELECT dc.opportunity_id, min(l.lead_at) AS lead_created_at
                      FROM ${sql.table('deal_contacts')} dc JOIN ${sql.table('leads')} l ON l.contact_id = dc.contact_id
                     WHERE dc.opportunity_id BETWEEN $1 AND $2
                     GROUP BY dc.opportunity_id) lead USING (opportunity_id)
        WHERE ${inRange}`,
      [first, last],
    ),
    // A contact's touches by its own key, by the keys stitched or merged into it, and the
    // account's: a touch reached twice is one touch to the journey builder.
    sql.query<TouchRow>(
      `SELECT ${touchColumns}
         FROM ${deals} d JOIN ${contactsInRange}
         JOIN ${sql.table('touches')} t ON t.person_key = dc.contact_id
        WHERE ${inRange} AND ${inWindow}
       UNION ALL
       SELECT ${touchColumns}
         FROM ${deals} d JOIN ${contactsInRange}
         JOIN ${sql.table('person_keys')} pk ON pk.contact_id = dc.contact_id
         JOIN ${sql.table('touches')} t ON t.person_key = pk.person_key
        WHERE ${inRange} AND ${inWindow}
       UNION ALL
       SELECT ${touchColumns}
         FROM ${deals} d JOIN ${sql.table('touches')} t ON t.account_id = d.account_id
        WHERE ${inRange} AND ${inWindow}`,
      [first, last, lookbackDays],
    ),
  ]);
  return journeysOf(dealRows, touchRows);
}

/** The rows of deals and of their candidate touches, as journeys in the deals' order. */
function journeysOf(deals: readonly DealRow[], touches: readonly TouchRow[]): DealJourney[] {
  const touchesOf = new Map<string, Touch[]>();
  for (const row of touches) {
    const list = touchesOf.get(row.opportunity_id) ?? [];
    list.push({
      touchpointId: row.touchpoint_id,
      occurredAt: row.occurred_at,
      position: row.commit_position,
      kind: row.kind,
      channel: row.channel,
      campaignId: row.campaign_id,
      source: row.source,
      medium: row.medium,
      content: row.content,
      interaction: true,
    });
    touchesOf.set(row.opportunity_id, list);
  }
  return deals.map((row) => ({ deal: dealFacts(row), touches: touchesOf.get(row.opportunity_id) ?? [] }));
}

function dealFacts(row: DealRow): DealFacts {
  return {
    opportunityId: row.opportunity_id,
    openedAt: row.opened_at,
    amountMinor: row.amount_minor,
    currency: row.currency,
    wonAt: row.won_at,
    wonAmountMinor: row.won_amount_minor,
    wonCurrency: row.won_currency,
    leadCreatedAt: row.lead_created_at,
  };
}

export interface LastTouchQuery {
  /** SQL for the contact's id. */
  readonly contact: string;
  /** SQL for the moment: the touch is the last at or before it. */
  readonly moment: string;
  /** What to select of the touch `t`. */
  readonly select: string;
  /** SQL for the lookback in days. */
  readonly lookbackDays: string;
  /** SQL for text[] parameters narrowing kinds and channels (NULL: every interaction). */
  readonly kinds?: string;
  readonly channels?: string;
}

/**
 * A scalar subquery: the contact's last interaction at or before a moment (its own touches,
 * its stitched anonymous history and those of contacts merged into it), ties by log position.
 */
export function lastTouchAtOrBefore(sql: AttributionSql, query: LastTouchQuery): string {
  const narrowed = [
    query.kinds ? `AND (${query.kinds}::text[] IS NULL OR t.kind = ANY(${query.kinds}::text[]))` : '',
    query.channels ? `AND (${query.channels}::text[] IS NULL OR t.channel = ANY(${query.channels}::text[]))` : '',
  ].join(' ');
  return `SELECT ${query.select} FROM ${sql.table('touches')} t
           WHERE t.person_key IN (SELECT ${query.contact} UNION ALL SELECT pk.person_key FROM ${sql.table('person_keys')} pk WHERE pk.contact_id = ${query.contact})
             AND t.occurred_at <= ${query.moment} AND t.occurred_at >= ${query.moment} - ${query.lookbackDays}::float8 * interval '1 day' ${narrowed}
           ORDER BY t.occurred_at DESC, t.commit_position DESC
           LIMIT 1`;
}
