import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  canonicalRows,
  markovAttribution,
  pathRows,
  shapleyAttribution,
  type Basis,
  type Dimension,
  type PathOutcome,
  type PathRow,
} from '@revops/attribution';
import type { Position } from '@revops/event-store';
import { ATTRIBUTION_PROJECTION, dealJourney, readDealJourneys, touchKey } from '@revops/projections';
import { ReadModels, type ReadModelView } from '../../common/read-side/read-models';
import { reportPeriod, type ReportPeriod } from '../../leads/queries/report-period';
import { attributionSql } from './credit-source';

export interface DataDrivenRequest {
  readonly model: 'MARKOV' | 'SHAPLEY';
  readonly order: number;
  readonly dimension: Dimension;
  readonly basis: Basis;
  readonly period: ReportPeriod;
  readonly currency: string;
  readonly includeNulls: boolean;
}

export interface DataDrivenAttribution {
  readonly model: 'MARKOV' | 'SHAPLEY';
  readonly order: number | null;
  readonly dimension: Dimension;
  readonly basis: Basis;
  readonly from: string;
  readonly to: string;
  readonly currency: string;
  readonly convertingJourneys: number;
  readonly nonConvertingJourneys: number;
  readonly conversionProbability: number | null;
  readonly totalConversions: number;
  readonly totalValueMinor: number;
  readonly rows: readonly { key: string; removalEffect: number | null; conversions: number; valueMinor: number }[];
  readonly cached: boolean;
}

export class DataDrivenAttributionQuery extends Query<DataDrivenAttribution> {
  constructor(
    readonly request: DataDrivenRequest,
    readonly minPosition?: Position,
  ) {
    super();
  }
}

export function dataDrivenRequest(input: Omit<DataDrivenRequest, 'period'> & { from: string; to: string }): DataDrivenRequest {
  const { from, to, ...rest } = input;
  return { ...rest, period: reportPeriod(from, to) };
}

/** Results kept per request; an input changed since makes every one of them stale. */
const CACHE_ENTRIES = 64;
const JOURNEY_CHUNK = 2_000;

/**
 * Learns from the period's journeys: converting ones are the deals anchored in it (opened, or
 * won on the revenue basis) in the currency, valued at their basis amount; non-converting ones
 * are the people (a contact with its stitched and merged keys, or an unidentified visitor) with
 * touches in the period who are on none of those deals. Results are cached until an event
 * changes attribution's inputs, so dashboards asking again cost one lookup.
 */
@QueryHandler(DataDrivenAttributionQuery)
export class DataDrivenAttributionHandler implements IQueryHandler<DataDrivenAttributionQuery> {
  private readonly cache = new Map<string, Omit<DataDrivenAttribution, 'cached'>>();

  constructor(private readonly readModels: ReadModels) {}

  async execute({ request, minPosition }: DataDrivenAttributionQuery): Promise<DataDrivenAttribution> {
    const view = await this.readModels.open([ATTRIBUTION_PROJECTION], minPosition);
    const [{ revision }] = await view.query<{ revision: string }>(
      `SELECT commit_position::text AS revision FROM ${view.table(ATTRIBUTION_PROJECTION, 'inputs_changed')}`,
    );
    // The schema names the serving version, so a rebuilt read model never serves an old entry.
    const key = JSON.stringify([view.table(ATTRIBUTION_PROJECTION, 'touches'), revision, request]);
    const hit = this.cache.get(key);
    if (hit) return { ...hit, cached: true };
    const result = await learn(view, request);
    if (this.cache.size >= CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, result);
    return { ...result, cached: false };
  }
}

async function learn(view: ReadModelView, request: DataDrivenRequest): Promise<Omit<DataDrivenAttribution, 'cached'>> {
  const { converting, convertingContacts } = await convertingOutcomes(view, request);
  const nulls = await nonConvertingPaths(view, request, convertingContacts);
  const rows = canonicalRows([...pathRows(converting, request.dimension), ...nulls]);
  const common = {
    model: request.model,
    dimension: request.dimension,
    basis: request.basis,
    from: request.period.from,
    to: request.period.to,
    currency: request.currency,
    convertingJourneys: converting.length,
    nonConvertingJourneys: nulls.reduce((sum, row) => sum + row.nulls, 0),
  };
  if (request.model === 'MARKOV') {
    const result = markovAttribution(rows, { order: request.order, includeNulls: request.includeNulls });
    return {
      ...common,
      order: result.order,
      conversionProbability: result.conversionProbability,
      totalConversions: result.totalConversions,
      totalValueMinor: result.totalValue,
      rows: result.rows
        .map((row) => ({ key: row.key, removalEffect: row.removalEffect, conversions: row.conversions, valueMinor: row.value }))
        .sort(byValue),
    };
  }
  const result = shapleyAttribution(rows);
  return {
    ...common,
    order: null,
    conversionProbability: null,
    totalConversions: result.totalConversions,
    totalValueMinor: result.totalValue,
    rows: result.rows.map((row) => ({ key: row.key, removalEffect: null, conversions: row.conversions, valueMinor: row.value })).sort(byValue),
  };
}

const byValue = (a: { key: string; valueMinor: number }, b: { key: string; valueMinor: number }) =>
  b.valueMinor - a.valueMinor || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

async function convertingOutcomes(view: ReadModelView, request: DataDrivenRequest) {
  const { basis, period, currency } = request;
  const [anchor, currencyColumn] = basis === 'REVENUE' ? ['won_at', 'won_currency'] : ['opened_at', 'currency'];
  const deals = await view.query<{ opportunity_id: string }>(
    `SELECT opportunity_id FROM ${view.table(ATTRIBUTION_PROJECTION, 'deals')}
      WHERE ${currencyColumn} = $1 AND ${anchor} >= $2::timestamptz AND ${anchor} < $3::timestamptz`,
    [currency, period.from, period.to],
  );
  const ids = deals.map((row) => row.opportunity_id);
  const converting: PathOutcome[] = [];
  for (let start = 0; start < ids.length; start += JOURNEY_CHUNK) {
    for (const deal of await readDealJourneys(attributionSql(view), ids.slice(start, start + JOURNEY_CHUNK))) {
      const journey = dealJourney(deal, { basis });
      converting.push({ touches: journey.touches, converted: true, value: journey.amountMinor });
    }
  }
  const contacts = await view.query<{ contact_id: string }>(
    `SELECT DISTINCT contact_id FROM ${view.table(ATTRIBUTION_PROJECTION, 'deal_contacts')} WHERE opportunity_id = ANY($1::text[])`,
    [ids],
  );
  return { converting, convertingContacts: contacts.map((row) => row.contact_id) };
}

/**
 * One null journey per person with touches in the period who is on no converting deal. A key
 * stitched to several contacts (a merge copies the merged contact's keys to the survivor)
 * belongs to the one not merged away.
 */
async function nonConvertingPaths(view: ReadModelView, request: DataDrivenRequest, convertingContacts: readonly string[]): Promise<PathRow[]> {
  const table = (name: string) => view.table(ATTRIBUTION_PROJECTION, name);
  const rows = await view.query<{ path: string[]; journeys: number }>(
    `WITH touch AS (
       SELECT t.occurred_at, t.commit_position, ${touchKey(request.dimension, 't.')} AS value,
              coalesce((SELECT pk.contact_id FROM ${table('person_keys')} pk LEFT JOIN ${table('leads')} l ON l.contact_id = pk.contact_id
                         WHERE pk.person_key = t.person_key
                         ORDER BY (l.merged_into IS NOT NULL), pk.contact_id LIMIT 1), t.person_key) AS person
         FROM ${table('touches')} t
        WHERE t.occurred_at >= $1::timestamptz AND t.occurred_at < $2::timestamptz
     ),
     journey AS (
       SELECT person, array_agg(value ORDER BY occurred_at, commit_position) AS path
         FROM touch WHERE NOT (person = ANY($3::text[])) GROUP BY person
     )
     SELECT path, count(*)::int AS journeys FROM journey GROUP BY path`,
    [request.period.from, request.period.to, convertingContacts],
  );
  return rows.map((row) => ({ path: row.path, conversions: 0, value: 0, nulls: row.journeys }));
}
