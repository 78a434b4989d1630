import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { DEFAULT_LOOKBACK_DAYS } from '@revops/attribution';
import {
  attributionInputs,
  attributionProjection,
  campaignsProjection,
  insertRows,
  NO_MEMORY,
  projectionSchema,
  stepsAfterFinish,
  writeAttribution,
  type AttributionInputs,
  type Projection,
  type ProjectionTransaction,
} from '@revops/projections';
import { startEmbeddedPostgres } from '@revops/read-models';
import type { ReadModelView } from '../../apps/api/src/common/read-side/read-models';
import { attributionRequest } from '../../apps/api/src/attribution/queries/attribution-request';
import { attributionReport } from '../../apps/api/src/attribution/queries/attribution-report';
import { freshDatabase } from '../database';
import { SeededRandom } from '../generators/random';
import { log, percentiles } from '../report';

export interface ReportBenchConfig {
  readonly touchpoints: number;
  readonly opportunities: number;
  readonly requests: number;
  readonly seed: number;
}

const YEAR_START = Date.parse('2024-01-01T00:00:00Z');
const DAY = 86_400_000;
const CHANNELS = ['paid_search', 'paid_social', 'organic_search', 'email', 'direct', 'referral', 'display', 'events', 'content', 'partner'];
const CAMPAIGNS = 200;
const QUARTER = { from: '2024-04-01T00:00:00Z', to: '2024-07-01T00:00:00Z' };

/**
 * Fills the attribution read model through its own writer (touches, leads, deals, contact roles
 * and wins, every deal's credits for every stored model), then times the rule-based report for
 * a quarter, one request at a time, against a baseline in the same database: one scan summing
 * the quarter's credits of the model, the least any report of it must read.
 */
export async function benchAttributionReport(config: ReportBenchConfig) {
  const dir = await mkdtemp(join(tmpdir(), 'revops-bench-attribution-'));
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir: join(dir, 'pg') });
  const database = await freshDatabase(process.env.DATABASE_URL ?? embedded!.url, embedded !== undefined, `revops_bench_attribution_${process.pid}`);
  const pool = new Pool({ connectionString: database.url, max: 4 });
  try {
    const load = await fill(pool, config);
    log(`  report data: ${config.touchpoints} touchpoints, ${config.opportunities} deals, ${load.credits} credit rows in ${load.seconds.toFixed(1)} s`);
    const view: ReadModelView = {
      table: (projection, table) => projectionSchema(projection, 1).table(table),
      query: async <Row>(sql: string, parameters: readonly unknown[] = []) => (await pool.query(sql, [...parameters])).rows as Row[],
    };
    const credits = view.table('attribution', 'credits');
    const baseline = await timeRequests(config.requests, () =>
      view.query(`SELECT sum(credit_minor) FROM ${credits} WHERE model = 'LINEAR' AND currency = 'EUR' AND anchor_at >= $1 AND anchor_at < $2`, [QUARTER.from, QUARTER.to]),
    );
    const reports = Object.fromEntries(
      await sequentially(
        [
          ['linearByChannel', { model: 'LINEAR', groupBy: 'channel', basis: 'PIPELINE' }],
          ['wShapedByCampaign', { model: 'W_SHAPED', groupBy: 'campaign', basis: 'PIPELINE' }],
          ['timeDecayRevenueBySource', { model: 'TIME_DECAY', groupBy: 'source', basis: 'REVENUE' }],
        ] as const,
        async ([name, { model, groupBy, basis }]) => {
          const request = attributionRequest({ model }, { basis, groupBy, currency: 'EUR', ...QUARTER });
          const timing = await timeRequests(config.requests, () => attributionReport(view, request));
          log(`  report ${name.padEnd(26)} p50 ${timing.p50Ms} ms, p95 ${timing.p95Ms} ms`);
          return [name, { ...timing, toBaselineP95: round(timing.p95Ms / baseline.p95Ms) }] as const;
        },
      ),
    );
    const onTheFly = attributionRequest({ model: 'LINEAR', lookbackDays: 90 }, { basis: 'PIPELINE', groupBy: 'channel', currency: 'EUR', ...QUARTER });
    const computed = await timeRequests(Math.min(3, config.requests), () => attributionReport(view, onTheFly));
    log(`  baseline scan p95 ${baseline.p95Ms} ms; on-the-fly lookback 90 d p50 ${computed.p50Ms} ms`);
    return { period: QUARTER, load, baselineScan: baseline, reports, onTheFlyLookback90: computed };
  } finally {
    await pool.end();
    await database.drop();
    await embedded?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function fill(pool: Pool, config: ReportBenchConfig) {
  const started = performance.now();
  const projections: Projection[] = [attributionProjection, campaignsProjection];
  for (const projection of projections) {
    const schema = projectionSchema(projection.name, 1);
    await pool.query(`CREATE SCHEMA ${schema.name}`);
    for (const statement of projection.createTables(schema)) await pool.query(statement);
  }
  // Filled as a rebuild fills it: credits batch by batch, their daily totals once at the end.
  const schema = projectionSchema('attribution', 1);
  const query = async <Row>(sql: string, parameters: readonly unknown[] = []) => (await pool.query(sql, [...parameters])).rows as Row[];
  const tx: ProjectionTransaction = {
    schema,
    rebuilding: true,
    query,
    insertRows: (table, columns) => insertRows({ query }, schema.table(table), columns),
    memory: NO_MEMORY,
  };
  const random = new SeededRandom(config.seed);
  const contacts = Math.max(1, Math.round(config.touchpoints / 10));
  const instant = (ms: number) => new Date(ms).toISOString();
  // No inputs at all: what a batch of no events gives.
  const none = attributionInputs([]);

  const contactLeadAt = Array.from({ length: contacts }, () => YEAR_START - 90 * DAY + random.int(0, 400) * DAY);
  const leadChunk = 20_000;
  for (let start = 0; start < contacts; start += leadChunk) {
    const leads = contactLeadAt.slice(start, start + leadChunk).map((at, index) => ({ contactId: `c${start + index}`, leadAt: instant(at) }));
    await writeAttribution({ ...none, leads }, tx);
  }
  let position = 1;
  const touchChunk = 20_000;
  for (let start = 0; start < config.touchpoints; start += touchChunk) {
    const touches = Array.from({ length: Math.min(touchChunk, config.touchpoints - start) }, (_, index) => {
      const contact = random.int(0, contacts - 1);
      const channel = random.pick(CHANNELS);
      return {
        touchpointId: `t${start + index}`,
        personKey: `c${contact}`,
        accountId: null,
        occurredAt: instant(contactLeadAt[contact] - 60 * DAY + random.int(0, 300 * 24) * 3_600_000),
        commitPosition: String(position++),
        kind: channel === 'email' ? 'EMAIL_CLICK' : 'WEB_VISIT',
        channel,
        campaignId: channel.startsWith('paid') || channel === 'display' ? `cmp-${random.int(1, CAMPAIGNS)}` : null,
        source: random.pick(['google', 'linkedin', 'newsletter', 'partner-site', null]),
        medium: random.pick(['cpc', 'paid_social', 'email', 'referral', null]),
        content: null,
      };
    });
    await writeAttribution({ ...none, touches }, tx);
  }
  const dealChunk = 2_000;
  for (let start = 0; start < config.opportunities; start += dealChunk) {
    const ids = Array.from({ length: Math.min(dealChunk, config.opportunities - start) }, (_, index) => `o${start + index}`);
    const openedAt = ids.map(() => YEAR_START + random.int(0, 364) * DAY + random.int(0, 23) * 3_600_000);
    const inputs: AttributionInputs = {
      ...none,
      openedDeals: ids.map((opportunityId, index) => ({
        opportunityId,
        accountId: `a${random.int(0, 9_999)}`,
        openedAt: instant(openedAt[index]),
        amountMinor: String(random.int(5_000, 200_000) * 100),
        currency: 'EUR',
      })),
      dealContacts: ids.flatMap((opportunityId) => Array.from({ length: random.int(1, 3) }, () => ({ opportunityId, contactId: `c${random.int(0, contacts - 1)}` }))),
      outcomes: ids.flatMap((opportunityId, index) =>
        random.chance(0.3)
          ? [{ opportunityId, wonAt: instant(openedAt[index] + random.int(20, 120) * DAY), wonAmountMinor: String(random.int(5_000, 200_000) * 100), wonCurrency: 'EUR' }]
          : [],
      ),
      changedDeals: new Set(ids),
    };
    // Contact roles are unique per deal; a repeated draw is dropped by the writer's upsert.
    await writeAttribution(inputs, tx);
  }
  // As the runner ends a rebuild: the indexes left to the end of the catch-up, the finish, then
  // the keys and indexes left to after it, straight through the pool, statement by statement.
  for (const statement of attributionProjection.indexesAfterCatchUp?.(tx.schema) ?? []) await pool.query(statement);
  await attributionProjection.finishRebuild?.({ parallelism: 2, run: (work) => work(tx) });
  for (const statement of stepsAfterFinish(attributionProjection, tx.schema).flat()) await pool.query(statement);
  const spend = Array.from({ length: CAMPAIGNS }, (_, index) => index + 1);
  await pool.query(
    `INSERT INTO ${projectionSchema('campaigns', 1).table('campaigns')}
       (campaign_id, name, channel, utm_source, utm_medium, budget_minor, currency, start_date, created_at)
     SELECT 'cmp-' || n, 'Campaign ' || n, CASE WHEN n % 2 = 0 THEN 'paid_search' ELSE 'paid_social' END, 'google', 'cpc', 10000000, 'EUR', '2024-01-01', now()
       FROM unnest($1::int[]) AS n`,
    [spend],
  );
  await pool.query(
    `INSERT INTO ${projectionSchema('campaigns', 1).table('campaign_daily_spend')} (campaign_id, day, source, amount_minor, currency, corrections)
     SELECT 'cmp-' || n, d::date, 'ads', 10000 + n, 'EUR', 0 FROM unnest($1::int[]) AS n, generate_series('2024-01-01'::date, '2024-12-31'::date, interval '1 day') AS d`,
    [spend],
  );
  // As the runner does when a rebuilt version takes over: the planner needs the tables' statistics.
  for (const table of ['credits', 'touches', 'deals', 'deal_contacts', 'leads', 'person_keys']) await pool.query(`ANALYZE ${projectionSchema('attribution', 1).table(table)}`);
  for (const table of ['campaigns', 'campaign_daily_spend']) await pool.query(`ANALYZE ${projectionSchema('campaigns', 1).table(table)}`);
  const [{ count }] = (await pool.query(`SELECT count(*)::int AS count FROM ${projectionSchema('attribution', 1).table('credits')}`)).rows as { count: number }[];
  return { seconds: (performance.now() - started) / 1000, credits: count, lookbackDays: DEFAULT_LOOKBACK_DAYS };
}

async function timeRequests(requests: number, work: () => Promise<unknown>) {
  await work();
  const millis: number[] = [];
  for (let request = 0; request < requests; request++) {
    const started = performance.now();
    await work();
    millis.push(performance.now() - started);
  }
  const [p50, p95, p99] = percentiles(millis, [0.5, 0.95, 0.99]);
  return { requests, p50Ms: round(p50), p95Ms: round(p95), p99Ms: round(p99) };
}

async function sequentially<Item, Result>(items: readonly Item[], work: (item: Item) => Promise<Result>): Promise<Result[]> {
  const results: Result[] = [];
  for (const item of items) results.push(await work(item));
  return results;
}

function round(value: number): number {
  return Number(value.toPrecision(4));
}
