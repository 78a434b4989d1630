import { ATTRIBUTION_PROJECTION, dealCredits, readDealJourneys, storedModelKeys, type AttributionSql, type CreditRow } from '@revops/projections';
import type { ReadModelView } from '../../common/read-side/read-models';
import { isStored, modelOf, type CreditRules } from './attribution-request';

/** A period `[from, to)` of anchors, in one currency. */
export interface AnchorWindow {
  readonly from: string;
  readonly to: string;
  readonly currency: string;
}

/** Deals whose journeys one read fetches when credits are computed on the fly. */
const JOURNEY_CHUNK = 2_000;

/** The attribution read model of a query's view, as the journey reader takes it. */
export function attributionSql(view: ReadModelView): AttributionSql {
  return { table: (name) => view.table(ATTRIBUTION_PROJECTION, name), query: (sql, parameters) => view.query(sql, parameters) };
}

/**
 * A SELECT of every credit (both bases) of the deals anchored in the window, columns
 * `basis, opportunity_id, touchpoint_id, share, credit_minor, channel, campaign_id, source,
 * medium, content`: the projection's stored credits when it keeps these rules, else computed
 * now from the deals' journeys. Its parameters start at `$${first}`.
 */
export async function creditSource(
  view: ReadModelView,
  rules: CreditRules,
  window: AnchorWindow,
  first: number,
): Promise<{ sql: string; parameters: unknown[] }> {
  const $ = (offset: number) => `$${first + offset}`;
  if (isStored(rules)) {
    return {
      sql: `SELECT basis, opportunity_id, touchpoint_id, share, credit_minor, channel, campaign_id, source, medium, content
              FROM ${view.table(ATTRIBUTION_PROJECTION, 'credits')}
             WHERE model = ANY(${$(0)}::text[]) AND currency = ${$(1)} AND anchor_at >= ${$(2)}::timestamptz AND anchor_at < ${$(3)}::timestamptz`,
      parameters: [storedModelKeys(rules.model), window.currency, window.from, window.to],
    };
  }
  const credits = await computeCredits(view, rules, window);
  return {
    sql: `SELECT * FROM unnest(${$(0)}::text[], ${$(1)}::text[], ${$(2)}::text[], ${$(3)}::numeric[], ${$(4)}::bigint[], ${$(5)}::text[],
                               ${$(6)}::text[], ${$(7)}::text[], ${$(8)}::text[], ${$(9)}::text[])
            AS c(basis, opportunity_id, touchpoint_id, share, credit_minor, channel, campaign_id, source, medium, content)`,
    parameters: [
      credits.map((row) => row.basis),
      credits.map((row) => row.opportunityId),
      credits.map((row) => row.touchpointId),
      credits.map((row) => row.share),
      credits.map((row) => row.creditMinor),
      credits.map((row) => row.channel),
      credits.map((row) => row.campaignId),
      credits.map((row) => row.source),
      credits.map((row) => row.medium),
      credits.map((row) => row.content),
    ],
  };
}

/** Credits under any rules, from the journeys of the deals anchored in the window on either basis. */
export async function computeCredits(view: ReadModelView, rules: CreditRules, window: AnchorWindow): Promise<CreditRow[]> {
  const deals = view.table(ATTRIBUTION_PROJECTION, 'deals');
  const ids = await view.query<{ opportunity_id: string }>(
    `SELECT opportunity_id FROM ${deals} WHERE currency = $1 AND opened_at >= $2::timestamptz AND opened_at < $3::timestamptz
     UNION
     SELECT opportunity_id FROM ${deals} WHERE won_currency = $1 AND won_at >= $2::timestamptz AND won_at < $3::timestamptz`,
    [window.currency, window.from, window.to],
  );
  const from = Date.parse(window.from);
  const to = Date.parse(window.to);
  const inWindow = (row: CreditRow) => {
    const anchor = Date.parse(row.anchorAt);
    return anchor >= from && anchor < to && row.currency === window.currency;
  };
  const options = { models: [modelOf(rules)], lookbackDays: rules.lookbackDays, kinds: rules.kinds ?? undefined, channels: rules.channels ?? undefined };
  const credits: CreditRow[] = [];
  for (let start = 0; start < ids.length; start += JOURNEY_CHUNK) {
    const chunk = ids.slice(start, start + JOURNEY_CHUNK).map((row) => row.opportunity_id);
    for (const journey of await readDealJourneys(attributionSql(view), chunk, rules.lookbackDays)) {
      credits.push(...dealCredits(journey, options).filter(inWindow));
    }
  }
  return credits;
}
