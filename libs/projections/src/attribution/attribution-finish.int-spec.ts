import { Pool } from 'pg';
import { usePostgres, type PostgresHandle } from '../../../../test/support/postgres';
import { insertRows } from '../runner/insert-rows';
import { NO_MEMORY, projectionSchema, servingDefinition, type ProjectionTransaction, type RebuildTransactions } from '../runner/projection';
import { readDealJourneys, readDealJourneysInRange, type AttributionSql } from './attribution-journeys';
import { attributionInputs, type AttributionInputs, type AttributionTouchRow, type DealJourney } from './attribution.projection';
import { attributionProjection, creditEveryDeal, writeAttribution } from './attribution.writer';

const schema = projectionSchema(attributionProjection.name, attributionProjection.version);
const on = (day: string) => `2024-${day}T09:00:00.000Z`;

/** What a batch of no events gives: each batch below fills in its own. */
const NOTHING = attributionInputs([]);

const byBytes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

let position = 0;
function touch(touchpointId: string, personKey: string, occurredAt: string, overrides: Partial<AttributionTouchRow> = {}): AttributionTouchRow {
  position += 1;
  return {
    touchpointId,
    personKey,
    accountId: null,
    occurredAt,
    commitPosition: String(position),
    kind: 'WEB_VISIT',
    channel: 'organic_search',
    campaignId: null,
    source: 'google',
    medium: 'organic',
    content: null,
    ...overrides,
  };
}

/**
 * Deals whose ids sort differently byte by byte than by a language's rules, with every way a
 * touch reaches a deal: a contact's own key, an anonymous history stitched to it, the keys of a
 * contact merged into it, the deal's account (a touch reached twice among them), and touches
 * outside the window before the opening or after the win.
 */
const batches: AttributionInputs[] = [
  {
    ...NOTHING,
    touches: [
      touch('t-ada-early', 'ada', on('01-05')),
      touch('t-ada-paid', 'ada', on('02-20'), { kind: 'AD_CLICK', channel: 'paid_search', campaignId: 'cmp-1', medium: 'cpc' }),
      touch('t-ada-and-acme', 'ada', on('02-25'), { accountId: 'acme' }),
      touch('t-acme', 'acme-visitor', on('02-26'), { accountId: 'acme', kind: 'FORM_SUBMISSION', channel: 'direct' }),
      touch('t-anon', 'anon-x1', on('02-28'), { channel: 'social' }),
      touch('t-bo', 'bo', on('03-02'), { kind: 'EMAIL_CLICK', channel: 'email', source: 'newsletter', medium: 'email' }),
      touch('t-cy', 'cy', on('03-03'), { channel: 'referral' }),
      touch('t-too-old', 'ada', '2022-06-01T00:00:00.000Z'),
    ],
    leads: [
      { contactId: 'ada', leadAt: on('02-21') },
      { contactId: 'bo', leadAt: on('03-02') },
      { contactId: 'cy', leadAt: on('01-15') },
    ],
    identityLinks: [{ personKey: 'anon-x1', contactId: 'bo' }],
    changedContacts: new Set(['ada', 'bo', 'cy']),
    lastChangePosition: '8',
  },
  {
    ...NOTHING,
    openedDeals: [
      { opportunityId: 'opp-A', accountId: 'acme', openedAt: on('03-01'), amountMinor: '1000000', currency: 'EUR' },
      { opportunityId: 'opp-b', accountId: 'globex', openedAt: on('03-10'), amountMinor: '250000', currency: 'EUR' },
      { opportunityId: 'opp-C', accountId: 'globex', openedAt: on('03-11'), amountMinor: '990', currency: 'USD' },
      { opportunityId: 'opp-d', accountId: 'acme', openedAt: on('03-12'), amountMinor: '777777', currency: 'EUR' },
      { opportunityId: 'opp-E', accountId: 'initech', openedAt: on('02-01'), amountMinor: '5000', currency: 'EUR' },
    ],
    dealContacts: [
      { opportunityId: 'opp-A', contactId: 'ada' },
      { opportunityId: 'opp-b', contactId: 'bo' },
      { opportunityId: 'opp-C', contactId: 'dee' },
      { opportunityId: 'opp-d', contactId: 'ada' },
      { opportunityId: 'opp-d', contactId: 'bo' },
      { opportunityId: 'opp-E', contactId: 'ada' },
    ],
    changedDeals: new Set(['opp-A', 'opp-b', 'opp-C', 'opp-d', 'opp-E']),
    lastChangePosition: '20',
  },
  {
    ...NOTHING,
    // Cy is merged into Bo; Ada's deal A is won, so its revenue window reaches later touches.
    merges: [{ survivorContactId: 'bo', mergedContactId: 'cy' }],
    outcomes: [{ opportunityId: 'opp-A', wonAt: on('04-15'), wonAmountMinor: '1200000', wonCurrency: 'EUR' }],
    touches: [touch('t-ada-late', 'ada', on('04-01'), { kind: 'DEMO', channel: 'sales' }), touch('t-after-win', 'ada', on('05-01'))],
    changedDeals: new Set(['opp-A']),
    changedContacts: new Set(['bo']),
    lastChangePosition: '30',
  },
];

describe("A rebuild's finish", () => {
  let postgres: PostgresHandle;
  let pool: Pool;
  let sql: AttributionSql;

  const transaction = (rebuilding: boolean): ProjectionTransaction => ({
    schema,
    rebuilding,
    query: async (text, parameters) => (await pool.query(text, parameters ? [...parameters] : [])).rows,
    insertRows: (table, columns) => insertRows({ query: async (text, parameters) => (await pool.query(text, parameters ? [...parameters] : [])).rows }, schema.table(table), columns),
    memory: NO_MEMORY,
  });
  const rows = async (table: string) =>
    (await pool.query(`SELECT to_jsonb(t) AS row FROM ${schema.table(table)} t ORDER BY to_jsonb(t)::text`)).rows.map(({ row }) => row as unknown);

  beforeAll(async () => {
    postgres = await usePostgres();
    // One connection: embedded PostgreSQL serves one session at a time. The finish's parts,
    // run two at once, take turns on it.
    pool = new Pool({ connectionString: postgres.url, max: 1 });
    await pool.query(`CREATE SCHEMA ${schema.name}`);
    for (const statement of servingDefinition(attributionProjection, schema)) await pool.query(statement);
    sql = { table: (name) => schema.table(name), query: async (text, parameters) => (await pool.query(text, parameters ? [...parameters] : [])).rows };
    // Kept up batch by batch: each batch credits again the deals it can change.
    for (const inputs of batches) await writeAttribution(inputs, transaction(false));
  }, 60_000);

  afterAll(async () => {
    await pool?.end();
    await postgres?.stop();
  });

  it('reads a range of deals as the same journeys as their ids', async () => {
    const ids = (await sql.query<{ opportunity_id: string }>(`SELECT opportunity_id FROM ${schema.table('deals')} ORDER BY opportunity_id`)).map(
      (row) => row.opportunity_id,
    );
    // Byte order: capitals first.
    expect(ids).toEqual(['opp-A', 'opp-C', 'opp-E', 'opp-b', 'opp-d']);
    const comparable = (journeys: readonly DealJourney[]) =>
      journeys
        .map(({ deal, touches }) => ({ deal, touches: [...new Map(touches.map((one) => [one.touchpointId, one])).values()].sort((a, b) => byBytes(a.touchpointId, b.touchpointId)) }))
        .sort((a, b) => byBytes(a.deal.opportunityId, b.deal.opportunityId));
    const byIds = comparable(await readDealJourneys(sql, ids));
    const byRange = comparable(await readDealJourneysInRange(sql, ids[0], ids[ids.length - 1]));
    expect(byRange).toEqual(byIds);
    // Every way of reaching a deal is in the data: not a comparison of empty journeys.
    const touchesOf = (id: string) => byIds.find((journey) => journey.deal.opportunityId === id)!.touches.map((one) => one.touchpointId);
    expect(touchesOf('opp-A')).toEqual(['t-acme', 't-ada-and-acme', 't-ada-early', 't-ada-late', 't-ada-paid']);
    expect(touchesOf('opp-b')).toEqual(['t-anon', 't-bo', 't-cy']);
    expect(touchesOf('opp-C')).toEqual([]);
    expect(byIds.find((journey) => journey.deal.opportunityId === 'opp-A')!.deal).toMatchObject({ wonAt: on('04-15'), leadCreatedAt: on('02-21') });
    // A range holds the deals between its ends only.
    expect((await readDealJourneysInRange(sql, 'opp-C', 'opp-b')).map(({ deal }) => deal.opportunityId).sort()).toEqual(['opp-C', 'opp-E', 'opp-b']);
  });

  it('credits every deal, part by part, as they were credited batch by batch', async () => {
    const keptUp = { credits: await rows('credits'), totals: await rows('credit_totals'), leads: await rows('leads') };
    expect(keptUp.credits.length).toBeGreaterThan(20);
    const transactions: RebuildTransactions = { parallelism: 2, run: (work) => work(transaction(true)) };
    // Two deals a part: ranges that begin and end inside the ids, and a last part of one.
    await creditEveryDeal(transactions, 2);
    expect({ credits: await rows('credits'), totals: await rows('credit_totals'), leads: await rows('leads') }).toEqual(keptUp);
  });

  it('refuses parts of no deals, before it touches the credits', async () => {
    const before = await rows('credits');
    const transactions: RebuildTransactions = { parallelism: 2, run: (work) => work(transaction(true)) };
    await expect(creditEveryDeal(transactions, 0)).rejects.toThrow('dealsPerPart must be a positive integer, not 0');
    expect(await rows('credits')).toEqual(before);
  });
});
