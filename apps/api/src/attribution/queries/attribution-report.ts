import { NO_TOUCH, NOT_SET, type Basis, type Dimension, type RuleBasedModelName } from '@revops/attribution';
import { ATTRIBUTION_PROJECTION, CAMPAIGNS_PROJECTION, creditKey, lastTouchAtOrBefore, storedModelKeys, TOTAL_DIMENSION, touchKey } from '@revops/projections';
import type { ReadModelView } from '../../common/read-side/read-models';
import { largestFirst, rate } from '../../leads/queries/report-period';
import { isStored, type AttributionRequest } from './attribution-request';
import { attributionSql, creditSource } from './credit-source';

/** The read models a rule-based report reads: credits and their inputs, and campaign spend. */
export const REPORT_PROJECTIONS = [ATTRIBUTION_PROJECTION, CAMPAIGNS_PROJECTION] as const;

/** What one key (or the whole period) earned and cost. Money in minor units of the report's currency. */
export interface AttributionFigures {
  /** Deals credited to the key on the report's basis: the sum of its shares. */
  readonly conversions: number;
  readonly amountMinor: number;
  /** Deals whose journey holds a touch of the key, whatever its share. */
  readonly dealsTouched: number;
  /** Won deals credited to the key (revenue basis, whatever the report's basis): CAC's denominator. */
  readonly customers: number;
  /** Revenue credited to the key: ROAS's and ROI's numerator. */
  readonly revenueMinor: number;
  readonly spendMinor: number;
  /** Contacts that became leads in the period whose lead-creation touch has the key. */
  readonly leads: number;
  /** Contacts that first became MQLs in the period whose last touch before it has the key. */
  readonly mqls: number;
  readonly roi: number | null;
  readonly roas: number | null;
  readonly costPerLeadMinor: number | null;
  readonly cacMinor: number | null;
}

export interface AttributionReportRow extends AttributionFigures {
  readonly key: string;
  /** The campaign's name when grouped by campaign. */
  readonly name: string | null;
}

export interface AttributionTotal extends AttributionFigures {
  /** Deals anchored in the period on the basis, in the currency, counted straight from the deals. */
  readonly periodDeals: number;
  /** Their pipeline (amount at opening) or revenue (won amount) total. */
  readonly periodAmountMinor: number;
  /** Whether the credits add up to the period's deals and amount: every deal credited whole, `(none)` included. */
  readonly reconciled: boolean;
}

export interface AttributionReport {
  readonly model: RuleBasedModelName;
  readonly basis: Basis;
  readonly from: string;
  readonly to: string;
  readonly currency: string;
  readonly groupBy: Dimension;
  readonly lookbackDays: number;
  /** Read from the credits the projection keeps, or computed for this request. */
  readonly stored: boolean;
  readonly rows: readonly AttributionReportRow[];
  readonly total: AttributionTotal;
}

interface FiguresRow {
  total: boolean;
  key: string | null;
  name: string | null;
  conversions: string | null;
  amount_minor: string | null;
  deals: number;
  customers: string | null;
  revenue_minor: string | null;
  spend_minor: string | null;
  leads: number;
  mqls: number;
}

/** Spend's key under a dimension: the campaign's own tagging. */
const spendColumns: Readonly<Record<Dimension, string>> = {
  channel: 'c.channel',
  campaign: 'c.campaign_id',
  source: 'c.utm_source',
  medium: 'c.utm_medium',
  content: 'c.utm_content',
};

const PERIOD = (column: string) => `${column} >= $1::timestamptz AND ${column} < $2::timestamptz`;

export async function attributionReport(view: ReadModelView, request: AttributionRequest): Promise<AttributionReport> {
  const { rules, basis, period, currency, groupBy } = request;
  const table = (name: string) => view.table(ATTRIBUTION_PROJECTION, name);
  const campaigns = view.table(CAMPAIGNS_PROJECTION, 'campaigns');
  const credited = await creditedByKey(view, request, 10);
  // The key of each contact that became a lead (or an MQL) in the period, merged duplicates
  // aside: that of its last eligible touch at or before the moment, `(none)` without one.
  // The projection keeps that touch for the default rules; other rules look it up.
  const milestoneKeys = (moment: 'lead_at' | 'mql_at') => {
    const key = (touch: string) => `CASE WHEN ${touch} IS NULL THEN '${NO_TOUCH}' ELSE ${touchKey(groupBy, 't.')} END`;
    const leads = `${table('leads')} l`;
    const inPeriod = `WHERE ${PERIOD(`l.${moment}`)} AND l.merged_into IS NULL`;
    if (isStored(rules)) {
      const kept = moment === 'lead_at' ? 'l.lead_' : 'l.mql_';
      return `SELECT CASE WHEN ${kept}touch_id IS NULL THEN '${NO_TOUCH}' ELSE ${touchKey(groupBy, kept)} END AS key FROM ${leads} ${inPeriod}`;
    }
    const last = lastTouchAtOrBefore(attributionSql(view), {
      contact: 'l.contact_id',
      moment: `l.${moment}`,
      select: 't.*',
      lookbackDays: '$5',
      kinds: '$6',
      channels: '$7',
    });
    return `SELECT ${key('t.touchpoint_id')} AS key FROM ${leads} LEFT JOIN LATERAL (${last}) t ON true ${inPeriod}`;
  };
  // One statement: credits by key on the report's basis and on revenue, spend by the campaigns'
  // tagging, leads and MQLs by their touch, and the period's totals.
  const figures = view.query<FiguresRow>(
    `WITH ${credited.sql},
     -- Types every rule parameter, also those only on-the-fly rules read.
     rule_parameters AS (SELECT $5::float8 AS lookback_days, $6::text[] AS kinds, $7::text[] AS channels),
     credited AS (SELECT * FROM credited_with_total WHERE NOT total),
     spend AS (
       SELECT coalesce(${spendColumns[groupBy]}, '${NOT_SET}') AS key, sum(s.amount_minor) AS spend_minor
         FROM ${view.table(CAMPAIGNS_PROJECTION, 'campaign_daily_spend')} s JOIN ${campaigns} c ON c.campaign_id = s.campaign_id
        WHERE s.currency = $3 AND s.day >= $8::date AND s.day < $9::date
        GROUP BY 1
     ),
     lead_touch AS (${milestoneKeys('lead_at')}),
     mql_touch AS (${milestoneKeys('mql_at')}),
     leads AS (SELECT key, count(*)::int AS leads FROM lead_touch GROUP BY key),
     mqls AS (SELECT key, count(*)::int AS mqls FROM mql_touch GROUP BY key),
     grouped AS (
       SELECT coalesce(cr.key, sp.key, ld.key, mq.key) AS key, cr.conversions, cr.amount_minor, coalesce(cr.deals, 0)::int AS deals,
              cr.customers, cr.revenue_minor, sp.spend_minor, coalesce(ld.leads, 0) AS leads, coalesce(mq.mqls, 0) AS mqls
         FROM credited cr
         FULL JOIN spend sp ON sp.key = cr.key
         FULL JOIN leads ld ON ld.key = coalesce(cr.key, sp.key)
         FULL JOIN mqls mq ON mq.key = coalesce(cr.key, sp.key, ld.key)
     )
     SELECT false AS total, g.key, ${groupBy === 'campaign' ? 'n.name' : 'NULL::text'} AS name, g.conversions::text, g.amount_minor::text, g.deals,
            g.customers::text, g.revenue_minor::text, g.spend_minor::text, g.leads, g.mqls
       FROM grouped g ${groupBy === 'campaign' ? `LEFT JOIN ${campaigns} n ON n.campaign_id = g.key` : ''}
     UNION ALL
     SELECT true, NULL, NULL, t.conversions::text, t.amount_minor::text, coalesce(t.deals, 0)::int, t.customers::text, t.revenue_minor::text,
            (SELECT sum(spend_minor) FROM spend)::text,
            (SELECT count(*)::int FROM lead_touch),
            (SELECT count(*)::int FROM mql_touch)
       FROM (SELECT 1) AS one LEFT JOIN credited_with_total t ON t.total`,
    [period.from, period.to, currency, basis, rules.lookbackDays, rules.kinds, rules.channels, ...spendDays(period), ...credited.parameters],
  );
  const anchorColumn = basis === 'REVENUE' ? 'won_at' : 'opened_at';
  const periodTotals = view.query<{ deals: number; amount_minor: string | null }>(
    `SELECT count(*)::int AS deals, sum(${basis === 'REVENUE' ? 'won_amount_minor' : 'amount_minor'})::text AS amount_minor
       FROM ${table('deals')}
      WHERE ${basis === 'REVENUE' ? 'won_currency' : 'currency'} = $3 AND ${PERIOD(anchorColumn)}`,
    [period.from, period.to, currency],
  );
  const [rows, [expected]] = await Promise.all([figures, periodTotals]);
  const totalRow = rows.find((row) => row.total) as FiguresRow;
  const total = figuresOf(totalRow);
  return {
    model: rules.model,
    basis,
    from: period.from,
    to: period.to,
    currency,
    groupBy,
    lookbackDays: rules.lookbackDays,
    stored: isStored(rules),
    rows: rows
      .filter((row) => !row.total)
      .map((row) => ({ key: row.key as string, name: row.name, ...figuresOf(row) }))
      .sort(largestFirst((row) => row.amountMinor)),
    total: {
      ...total,
      periodDeals: expected.deals,
      periodAmountMinor: Number(expected.amount_minor ?? 0),
      // Shares are exact to 18 places, so whole deals add up to within a rounding of each.
      reconciled:
        total.amountMinor === Number(expected.amount_minor ?? 0) &&
        Math.abs(total.conversions - expected.deals) < 1e-9 * Math.max(1, expected.deals) &&
        total.dealsTouched === expected.deals,
    },
  };
}

/** The figures each row adds up on the report's basis ($4) and on revenue, from columns named by `columns`. */
function creditedFigures(columns: { conversions: string; amount: string; deals: string }): string {
  return `sum(${columns.conversions}) FILTER (WHERE basis = $4) AS conversions,
          sum(${columns.amount}) FILTER (WHERE basis = $4) AS amount_minor,
          ${columns.deals} FILTER (WHERE basis = $4) AS deals,
          sum(${columns.conversions}) FILTER (WHERE basis = 'REVENUE') AS customers,
          sum(${columns.amount}) FILTER (WHERE basis = 'REVENUE') AS revenue_minor`;
}

/**
 * A CTE `credited_with_total` (total, key, conversions, amount_minor, deals, customers,
 * revenue_minor): one row per key and one total row. For stored rules over whole days it sums
 * the projection's daily totals; otherwise it reads every credit of the period (stored or
 * computed now). Its parameters start at `$${first}`; $8 and $9 are the period's first and
 * end day.
 */
async function creditedByKey(view: ReadModelView, request: AttributionRequest, first: number): Promise<{ sql: string; parameters: unknown[] }> {
  const { rules, period, currency, groupBy } = request;
  if (isStored(rules) && wholeDays(period)) {
    const totals = view.table(ATTRIBUTION_PROJECTION, 'credit_totals');
    const figures = creditedFigures({ conversions: 'conversions', amount: 'amount_minor', deals: 'sum(deals)' });
    const of = (dimension: string) =>
      `FROM ${totals} WHERE model = ANY($${first}::text[]) AND currency = $3 AND dimension = ${dimension} AND anchor_day >= $8::date AND anchor_day < $9::date`;
    return {
      sql: `credited_with_total AS (
              SELECT false AS total, key, ${figures} ${of(`$${first + 1}`)} GROUP BY key HAVING sum(deals) > 0
              UNION ALL
              SELECT true, NULL, ${figures} ${of(`'${TOTAL_DIMENSION}'`)}
            )`,
      parameters: [storedModelKeys(rules.model), groupBy],
    };
  }
  const source = await creditSource(view, rules, { from: period.from, to: period.to, currency }, first);
  return {
    sql: `credit AS (${source.sql}),
          keyed AS (SELECT c.*, ${creditKey(groupBy, 'c.')} AS key FROM credit c),
          credited_with_total AS (
            SELECT GROUPING(key) <> 0 AS total, key, ${creditedFigures({ conversions: 'share', amount: 'credit_minor', deals: 'count(DISTINCT opportunity_id)' })}
              FROM keyed GROUP BY GROUPING SETS ((key), ())
          )`,
    parameters: source.parameters,
  };
}

const wholeDays = (period: { from: string; to: string }) => Date.parse(period.from) % DAY_MS === 0 && Date.parse(period.to) % DAY_MS === 0;

/**
 * The days of spend in the period, `[first, end)`: a day belongs to the period its first
 * instant (00:00 UTC) falls in.
 */
function spendDays(period: { from: string; to: string }): [string, string] {
  const firstDayAtOrAfter = (instant: string) => new Date(Math.ceil(Date.parse(instant) / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
  return [firstDayAtOrAfter(period.from), firstDayAtOrAfter(period.to)];
}

const DAY_MS = 86_400_000;

function figuresOf(row: FiguresRow): AttributionFigures {
  const spendMinor = Number(row.spend_minor ?? 0);
  const revenueMinor = Number(row.revenue_minor ?? 0);
  const customers = Number(row.customers ?? 0);
  return {
    conversions: Number(row.conversions ?? 0),
    amountMinor: Number(row.amount_minor ?? 0),
    dealsTouched: row.deals,
    customers,
    revenueMinor,
    spendMinor,
    leads: row.leads,
    mqls: row.mqls,
    roas: spendMinor === 0 ? null : revenueMinor / spendMinor,
    roi: spendMinor === 0 ? null : (revenueMinor - spendMinor) / spendMinor,
    costPerLeadMinor: spendMinor === 0 ? null : rate(spendMinor, row.leads),
    cacMinor: spendMinor === 0 ? null : rate(spendMinor, customers),
  };
}
