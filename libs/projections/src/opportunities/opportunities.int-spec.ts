import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import {
  opportunityDecider,
  opportunityStreamName,
  pipelineDecider,
  pipelineStagesOf,
  pipelineStreamName,
  type OpportunityCommand,
  type PipelineCommand,
} from '@revops/domain';
import { EventStore, type Position } from '@revops/event-store';
import { openReadStore } from '@revops/read-models';
import type { DataSource } from 'typeorm';
import { useEventStore, type EventStoreHandle } from '../../../../test/support/event-store';
import { usePostgres, type PostgresHandle } from '../../../../test/support/postgres';
import { allProjections } from '../all-projections';
import { pipelinesProjection } from '../pipelines/pipelines.writer';
import { Projections } from '../runner/projections';
import { typeOrmReadStore } from '../runner/read-store-sql';
import { checksumsOfSchema, FAST_RUNNER } from '../runner/testing/fixtures';
import { schemaNameOf } from '../runner/projection';
import { OPPORTUNITIES_PROJECTION, OPPORTUNITY_LISTS, openDealPlaces, opportunitiesProjection, UPDATED_TABLES_FILLFACTOR } from './opportunities.writer';

/** The schemas of the versions served, whatever their numbers. */
const PIPELINES_SCHEMA = schemaNameOf(pipelinesProjection.name, pipelinesProjection.version);

jest.setTimeout(60_000);

const SCHEMA = schemaNameOf(OPPORTUNITIES_PROJECTION, opportunitiesProjection.version);

/** 09:00 UTC on a day of 2024 (`03-10`), the business time of a step. */
const on = (day: string) => `2024-${day}T09:00:00.000Z`;

const stages = [
  { stageId: 'discovery', name: 'Discovery', order: 10, winProbability: 10 },
  { stageId: 'proposal', name: 'Proposal', order: 20, winProbability: 50 },
  { stageId: 'negotiation', name: 'Negotiation', order: 30, winProbability: 80 },
];

describe('Pipeline read models against the event-store dev server and PostgreSQL', () => {
  let eventStore: EventStoreHandle;
  let postgres: PostgresHandle;
  let dataSource: DataSource;
  let store: EventStore;
  let projections: Projections;

  const context = (occurredAt: string) => ({
    correlationId: randomUUID(),
    causationId: randomUUID(),
    actor: { type: 'user' as const, id: 'rep-1' },
    source: 'api',
    occurredAt,
  });

  async function pipelineCommand(command: PipelineCommand, occurredAt: string): Promise<Position> {
    const result = await store.handle(pipelineStreamName(command.data.pipelineId), pipelineDecider, command, context(occurredAt));
    return result.position as Position;
  }

  /** Defines a pipeline and returns its stages, as an opportunity command carries them. */
  async function definePipeline(pipelineId: string, name: string) {
    const definedAt = '2024-01-02T09:00:00.000Z';
    const { state } = await store.handle(
      pipelineStreamName(pipelineId),
      pipelineDecider,
      { type: 'DefinePipeline', data: { pipelineId, name, stages, definedAt } },
      context(definedAt),
    );
    return pipelineStagesOf(state, pipelineId);
  }

  async function opportunityCommand(command: OpportunityCommand, occurredAt: string): Promise<Position> {
    const result = await store.handle(opportunityStreamName(command.data.opportunityId), opportunityDecider, command, context(occurredAt));
    return result.position as Position;
  }

  async function rows<Row>(sql: string, parameters: unknown[] = []): Promise<Row[]> {
    return (await dataSource.query(sql, parameters)) as Row[];
  }

  beforeAll(async () => {
    Logger.overrideLogger(false);
    [eventStore, postgres] = await Promise.all([useEventStore(), usePostgres()]);
    dataSource = await openReadStore({ url: postgres.url, embedded: postgres.embedded });
    store = new EventStore({ connectionString: eventStore.connectionString });
    projections = new Projections(
      { store, sql: typeOrmReadStore(dataSource) },
      { projections: allProjections, readStore: { url: postgres.url, embedded: postgres.embedded }, runner: FAST_RUNNER },
    );
    projections.start();
  });

  afterAll(async () => {
    await projections?.stop();
    await store?.close();
    await dataSource?.destroy();
    await Promise.all([postgres?.stop(), eventStore?.stop()]);
  });

  it('leaves room for updates on the pages of the opportunities and their stays, and fills the others', async () => {
    await projections.readYourWrites.waitForPosition(OPPORTUNITIES_PROJECTION, { commit: 0n, prepare: 0n }, 10_000);
    const options = await rows<{ table: string; options: string[] | null }>(
      `SELECT c.relname AS table, c.reloptions AS options FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY c.relname`,
      [SCHEMA],
    );
    const fillfactors = Object.fromEntries(options.map((row) => [row.table, row.options ?? []]));
    expect(fillfactors).toEqual({
      deal_closes: [],
      open_deal_deltas: [],
      open_deal_owner_totals: [],
      open_deal_totals: [],
      open_deals_to_net: [],
      opportunities: [`fillfactor=${UPDATED_TABLES_FILLFACTOR}`],
      opportunity_amount_history: [],
      opportunity_stage_history: [`fillfactor=${UPDATED_TABLES_FILLFACTOR}`],
      stay_replacements: [],
    });
  });

  it('keeps no planner statistics on the lists of a deal, and the default on its other columns', async () => {
    const targets = await rows<{ column: string; target: number }>(
      `SELECT a.attname AS column, a.attstattarget AS target FROM pg_attribute a
        WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attstattarget <> -1 ORDER BY a.attname`,
      [`${SCHEMA}.opportunities`],
    );
    expect(targets).toEqual([...OPPORTUNITY_LISTS].sort().map((column) => ({ column, target: 0 })));
  });

  it('projects a pipeline and the revisions of its stages', async () => {
    const pipelineId = `pl-${randomUUID()}`;
    await definePipeline(pipelineId, 'New business');
    const revised = await pipelineCommand(
      { type: 'ReviseStages', data: { pipelineId, stages: stages.slice(0, 2), revisedAt: '2024-02-01T09:00:00.000Z' } },
      '2024-02-01T09:00:00.000Z',
    );
    await projections.readYourWrites.waitForPosition('pipelines', revised, 10_000);

    const pipelines = await rows(
      `SELECT name, revision, defined_at, revised_at FROM ${PIPELINES_SCHEMA}.pipelines WHERE pipeline_id = $1`,
      [pipelineId],
    );
    expect(pipelines).toEqual([
      { name: 'New business', revision: 2, defined_at: new Date(on('01-02')), revised_at: new Date(on('02-01')) },
    ]);
    expect(
      await rows(
        `SELECT revision, stage_id, name, stage_order, win_probability::float AS win_probability
           FROM ${PIPELINES_SCHEMA}.pipeline_stages WHERE pipeline_id = $1 ORDER BY revision, stage_order`,
        [pipelineId],
      ),
    ).toEqual([
      { revision: 1, stage_id: 'discovery', name: 'Discovery', stage_order: 10, win_probability: 10 },
      { revision: 1, stage_id: 'proposal', name: 'Proposal', stage_order: 20, win_probability: 50 },
      { revision: 1, stage_id: 'negotiation', name: 'Negotiation', stage_order: 30, win_probability: 80 },
      { revision: 2, stage_id: 'discovery', name: 'Discovery', stage_order: 10, win_probability: 10 },
      { revision: 2, stage_id: 'proposal', name: 'Proposal', stage_order: 20, win_probability: 50 },
    ]);
    expect(
      await rows(`SELECT revision, effective_at FROM ${PIPELINES_SCHEMA}.pipeline_revisions WHERE pipeline_id = $1 ORDER BY revision`, [
        pipelineId,
      ]),
    ).toEqual([
      { revision: 1, effective_at: new Date(on('01-02')) },
      { revision: 2, effective_at: new Date(on('02-01')) },
    ]);
  });

  it('projects an opportunity through a loss, a reopening and a win', async () => {
    const pipelineId = `pl-${randomUUID()}`;
    const opportunityId = `opp-${randomUUID()}`;
    const pipeline = await definePipeline(pipelineId, 'Expansion');

    const steps: Array<[OpportunityCommand, string]> = [
      [
        {
          type: 'OpenOpportunity',
          data: {
            opportunityId,
            name: 'Acme platform',
            accountId: 'acme',
            contactRoles: [{ contactId: 'ada', role: 'CHAMPION' }],
            pipeline,
            stageId: 'discovery',
            amount: { amountMinor: 2_500_000, currency: 'EUR' },
            expectedCloseDate: '2024-06-30',
            ownerId: 'rep-1',
            openedAt: '2024-03-01T09:00:00.000Z',
          },
        },
        '2024-03-01T09:00:00.000Z',
      ],
      [{ type: 'ChangeStage', data: { opportunityId, pipeline, stageId: 'negotiation', changedAt: on('03-10') } }, on('03-10')],
      [{ type: 'CloseLost', data: { opportunityId, reason: 'PRICE', note: null, closedAt: on('03-20') } }, on('03-20')],
      [
        { type: 'Reopen', data: { opportunityId, pipeline, stageId: 'proposal', reason: 'budget freed', reopenedAt: on('04-01') } },
        on('04-01'),
      ],
      [
        { type: 'AddContactRole', data: { opportunityId, contactId: 'bob', role: 'ECONOMIC_BUYER', addedAt: on('04-02') } },
        on('04-02'),
      ],
      [
        { type: 'ChangeAmount', data: { opportunityId, amount: { amountMinor: 3_000_000, currency: 'EUR' }, changedAt: on('04-03') } },
        on('04-03'),
      ],
      [{ type: 'ChangeStage', data: { opportunityId, pipeline, stageId: 'negotiation', changedAt: on('04-05') } }, on('04-05')],
      [
        { type: 'CloseWon', data: { opportunityId, wonAmount: { amountMinor: 2_900_000, currency: 'EUR' }, closedAt: on('04-15') } },
        on('04-15'),
      ],
    ];
    let last: Position | undefined;
    for (const [command, occurredAt] of steps) last = await opportunityCommand(command, occurredAt);
    await projections.readYourWrites.waitForPosition('opportunities', last as Position, 10_000);

    expect(
      await rows(
        `SELECT name, account_id, owner_id, pipeline_id, stage_id, amount_minor::int AS amount_minor, currency,
                expected_close_date::text AS expected_close_date, status, opened_at, closed_at,
                won_amount_minor::int AS won_amount_minor, won_currency, loss_reason, contact_roles
           FROM ${SCHEMA}.opportunities WHERE opportunity_id = $1`,
        [opportunityId],
      ),
    ).toEqual([
      {
        name: 'Acme platform',
        account_id: 'acme',
        owner_id: 'rep-1',
        pipeline_id: pipelineId,
        stage_id: 'negotiation',
        amount_minor: 3_000_000,
        currency: 'EUR',
        expected_close_date: '2024-06-30',
        status: 'won',
        opened_at: new Date('2024-03-01T09:00:00.000Z'),
        closed_at: new Date('2024-04-15T09:00:00.000Z'),
        won_amount_minor: 2_900_000,
        won_currency: 'EUR',
        loss_reason: null,
        contact_roles: [
          { contactId: 'ada', role: 'CHAMPION' },
          { contactId: 'bob', role: 'ECONOMIC_BUYER' },
        ],
      },
    ]);

    const historyQuery = `SELECT seq, stage_id, entry, entered_at, exited_at, exit, duration_seconds::float AS duration_seconds
                            FROM ${SCHEMA}.opportunity_stage_history WHERE opportunity_id = $1 ORDER BY seq`;
    const day = 86_400;
    const stay = (seq: number, stageId: string, entry: string, [entered, exited]: [string, string], exit: string, seconds: number) => ({
      seq,
      stage_id: stageId,
      entry,
      entered_at: new Date(on(entered)),
      exited_at: new Date(on(exited)),
      exit,
      duration_seconds: seconds,
    });
    expect(await rows(historyQuery, [opportunityId])).toEqual([
      stay(1, 'discovery', 'opened', ['03-01', '03-10'], 'stage_change', 9 * day),
      stay(2, 'negotiation', 'stage_change', ['03-10', '03-20'], 'lost', 10 * day),
      stay(3, 'proposal', 'reopened', ['04-01', '04-05'], 'stage_change', 4 * day),
      stay(4, 'negotiation', 'stage_change', ['04-05', '04-15'], 'won', 10 * day),
    ]);
    expect(
      await rows(
        `SELECT kind, effective_at, amount_minor::int AS amount_minor, currency
           FROM ${SCHEMA}.opportunity_amount_history WHERE opportunity_id = $1 ORDER BY position`,
        [opportunityId],
      ),
    ).toEqual([
      { kind: 'expected', effective_at: new Date(on('03-01')), amount_minor: 2_500_000, currency: 'EUR' },
      { kind: 'expected', effective_at: new Date(on('04-03')), amount_minor: 3_000_000, currency: 'EUR' },
      { kind: 'won', effective_at: new Date(on('04-15')), amount_minor: 2_900_000, currency: 'EUR' },
    ]);
  });

  it('places a stage change recorded late at its business time in the history', async () => {
    const pipelineId = `pl-${randomUUID()}`;
    const opportunityId = `opp-${randomUUID()}`;
    const pipeline = await definePipeline(pipelineId, 'Backdated');
    await opportunityCommand(
      {
        type: 'OpenOpportunity',
        data: {
          opportunityId,
          name: 'Globex',
          accountId: 'globex',
          contactRoles: [],
          pipeline,
          stageId: 'discovery',
          amount: { amountMinor: 100_000, currency: 'USD' },
          expectedCloseDate: '2024-09-30',
          ownerId: 'rep-2',
          openedAt: '2024-05-01T09:00:00.000Z',
        },
      },
      '2024-05-01T09:00:00.000Z',
    );
    const moved = await opportunityCommand(
      { type: 'ChangeStage', data: { opportunityId, pipeline, stageId: 'negotiation', changedAt: '2024-05-20T09:00:00.000Z' } },
      '2024-05-20T09:00:00.000Z',
    );
    await projections.readYourWrites.waitForPosition('opportunities', moved, 10_000);
    // Entered in the CRM days after it happened: the proposal stage came between the two.
    const late = await opportunityCommand(
      { type: 'ChangeStage', data: { opportunityId, pipeline, stageId: 'proposal', changedAt: '2024-05-10T09:00:00.000Z' } },
      '2024-05-10T09:00:00.000Z',
    );
    await projections.readYourWrites.waitForPosition('opportunities', late, 10_000);

    expect(
      await rows(
        `SELECT stage_id, entered_at, exited_at FROM ${SCHEMA}.opportunity_stage_history
          WHERE opportunity_id = $1 ORDER BY seq`,
        [opportunityId],
      ),
    ).toEqual([
      { stage_id: 'discovery', entered_at: new Date('2024-05-01T09:00:00.000Z'), exited_at: new Date('2024-05-10T09:00:00.000Z') },
      { stage_id: 'proposal', entered_at: new Date('2024-05-10T09:00:00.000Z'), exited_at: new Date('2024-05-20T09:00:00.000Z') },
      { stage_id: 'negotiation', entered_at: new Date('2024-05-20T09:00:00.000Z'), exited_at: null },
    ]);
  });

  it('keeps the open-pipeline totals equal to the deals\' changes, and the closes, when a backdated event lands', async () => {
    const pipelineId = `pl-${randomUUID()}`;
    const opportunityId = `opp-${randomUUID()}`;
    const pipeline = await definePipeline(pipelineId, 'Totals');
    const open = (id: string, ownerId: string, openedAt: string) =>
      opportunityCommand(
        {
          type: 'OpenOpportunity',
          data: {
            opportunityId: id,
            name: id,
            accountId: 'initech',
            contactRoles: [],
            pipeline,
            stageId: 'discovery',
            amount: { amountMinor: 100_000, currency: 'USD' },
            expectedCloseDate: '2024-09-30',
            ownerId,
            openedAt,
          },
        },
        openedAt,
      );
    await open(opportunityId, 'rep-3', on('05-01'));
    await open(`opp-${randomUUID()}`, 'rep-4', on('05-02'));
    const moved = await opportunityCommand(
      { type: 'ChangeStage', data: { opportunityId, pipeline, stageId: 'negotiation', changedAt: on('06-20') } },
      on('06-20'),
    );
    await projections.readYourWrites.waitForPosition('opportunities', moved, 10_000);
    // Recorded late: the deal was in proposal from 10 May, which moves it in May's totals.
    await opportunityCommand({ type: 'ChangeStage', data: { opportunityId, pipeline, stageId: 'proposal', changedAt: on('05-10') } }, on('05-10'));
    const closed = await opportunityCommand(
      { type: 'CloseWon', data: { opportunityId, wonAmount: { amountMinor: 90_000, currency: 'USD' }, closedAt: on('07-01') } },
      on('07-01'),
    );
    await projections.readYourWrites.waitForPosition('opportunities', closed, 10_000);

    const totals = (period: string) =>
      rows(
        `SELECT to_char(period_start AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS period_start, stage_id, count::int AS count, amount_minor::int AS amount_minor
           FROM ${SCHEMA}.open_deal_totals
          WHERE pipeline_id = $1 AND period = $2 AND (count <> 0 OR amount_minor <> 0)
          ORDER BY period_start, stage_id`,
        [pipelineId, period],
      );
    expect(await totals('month')).toEqual([
      // Both deals opened in discovery in May; one of them was in proposal by its end.
      { period_start: '2024-05-01', stage_id: 'discovery', count: 1, amount_minor: 100_000 },
      { period_start: '2024-05-01', stage_id: 'proposal', count: 1, amount_minor: 100_000 },
      { period_start: '2024-06-01', stage_id: 'negotiation', count: 1, amount_minor: 100_000 },
      { period_start: '2024-06-01', stage_id: 'proposal', count: -1, amount_minor: -100_000 },
      { period_start: '2024-07-01', stage_id: 'negotiation', count: -1, amount_minor: -100_000 },
    ]);
    // Each owner's months: rep-3's deal, and rep-4's.
    expect(
      await rows(
        `SELECT owner_id, to_char(month_start AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS month_start, stage_id, count::int AS count, amount_minor::int AS amount_minor
           FROM ${SCHEMA}.open_deal_owner_totals WHERE pipeline_id = $1 ORDER BY owner_id, month_start, stage_id`,
        [pipelineId],
      ),
    ).toEqual([
      { owner_id: 'rep-3', month_start: '2024-05-01', stage_id: 'proposal', count: 1, amount_minor: 100_000 },
      { owner_id: 'rep-3', month_start: '2024-06-01', stage_id: 'negotiation', count: 1, amount_minor: 100_000 },
      { owner_id: 'rep-3', month_start: '2024-06-01', stage_id: 'proposal', count: -1, amount_minor: -100_000 },
      { owner_id: 'rep-3', month_start: '2024-07-01', stage_id: 'negotiation', count: -1, amount_minor: -100_000 },
      { owner_id: 'rep-4', month_start: '2024-05-01', stage_id: 'discovery', count: 1, amount_minor: 100_000 },
    ]);
    // One owner's changes of a month, as its as-of adds them to the months before.
    expect(
      await rows(
        `SELECT stage_id, sum(count_delta)::int AS count
           FROM (${openDealPlaces(`${SCHEMA}.open_deal_deltas`, 'd', 'd.pipeline_id', `d.pipeline_id = $1 AND d.owner_id = 'rep-3' AND d.at >= $2 AND d.at <= $3`)}) place
          GROUP BY stage_id HAVING sum(count_delta) <> 0 ORDER BY stage_id`,
        [pipelineId, on('06-01'), on('06-25')],
      ),
    ).toEqual([
      { stage_id: 'negotiation', count: 1 },
      { stage_id: 'proposal', count: -1 },
    ]);
    // The late move corrected the one of 20 June where it was stored: netted, that is again one
    // row, now from proposal, as a rebuild writes it.
    expect(
      await rows(
        `SELECT to_char(at AT TIME ZONE 'UTC', 'MM-DD') AS at, stage_id, count_delta, amount_delta_minor::int AS amount,
                exited_stage_id, exited_amount_minor::int AS exited_amount
           FROM ${SCHEMA}.open_deal_deltas WHERE opportunity_id = $1 ORDER BY at`,
        [opportunityId],
      ),
    ).toEqual([
      { at: '05-01', stage_id: 'discovery', count_delta: 1, amount: 100_000, exited_stage_id: null, exited_amount: null },
      { at: '05-10', stage_id: 'proposal', count_delta: 1, amount: 100_000, exited_stage_id: 'discovery', exited_amount: 100_000 },
      { at: '06-20', stage_id: 'negotiation', count_delta: 1, amount: 100_000, exited_stage_id: 'proposal', exited_amount: 100_000 },
      { at: '07-01', stage_id: 'negotiation', count_delta: -1, amount: -100_000, exited_stage_id: null, exited_amount: null },
    ]);
    expect(await totals('day')).toEqual([
      { period_start: '2024-05-01', stage_id: 'discovery', count: 1, amount_minor: 100_000 },
      { period_start: '2024-05-02', stage_id: 'discovery', count: 1, amount_minor: 100_000 },
      { period_start: '2024-05-10', stage_id: 'discovery', count: -1, amount_minor: -100_000 },
      { period_start: '2024-05-10', stage_id: 'proposal', count: 1, amount_minor: 100_000 },
      { period_start: '2024-06-20', stage_id: 'negotiation', count: 1, amount_minor: 100_000 },
      { period_start: '2024-06-20', stage_id: 'proposal', count: -1, amount_minor: -100_000 },
      { period_start: '2024-07-01', stage_id: 'negotiation', count: -1, amount_minor: -100_000 },
    ]);
    expect(
      await rows(
        `SELECT outcome, closed_at, reopened_at, won_amount_minor::int AS won_amount_minor, won_currency
           FROM ${SCHEMA}.deal_closes WHERE opportunity_id = $1`,
        [opportunityId],
      ),
    ).toEqual([{ outcome: 'won', closed_at: new Date(on('07-01')), reopened_at: null, won_amount_minor: 90_000, won_currency: 'USD' }]);
  });

  // Last: it rebuilds from every deal the tests above wrote, and one of its own.
  it('rebuilds the same rows one event a batch, each deal read back from its stored lists, each stay written again replaced by its latest version, and then keys them', async () => {
    const opportunityId = `opp-${randomUUID()}`;
    const pipeline = await definePipeline(`pl-${randomUUID()}`, 'One by one');
    await opportunityCommand(
      {
        type: 'OpenOpportunity',
        data: {
          opportunityId,
          name: 'Hooli',
          accountId: 'hooli',
          contactRoles: [],
          pipeline,
          stageId: 'discovery',
          amount: { amountMinor: 70_000, currency: 'EUR' },
          expectedCloseDate: '2024-12-31',
          ownerId: 'rep-3',
          openedAt: on('08-01'),
        },
      },
      on('08-01'),
    );
    const moves: [string, string][] = [
      ['negotiation', '08-20'],
      ['proposal', '08-10'],
    ];
    for (const [stageId, day] of moves) await opportunityCommand({ type: 'ChangeStage', data: { opportunityId, pipeline, stageId, changedAt: on(day) } }, on(day));
    // Recorded late too: the amount held in proposal and negotiation changes from 08-05 on.
    await opportunityCommand({ type: 'ChangeAmount', data: { opportunityId, amount: { amountMinor: 90_000, currency: 'EUR' }, changedAt: on('08-05') } }, on('08-05'));
    await opportunityCommand({ type: 'CloseWon', data: { opportunityId, wonAmount: { amountMinor: 85_000, currency: 'EUR' }, closedAt: on('08-25') } }, on('08-25'));
    const head = (await store.headPosition()) as Position;
    await projections.readYourWrites.waitForPosition(OPPORTUNITIES_PROJECTION, head, 10_000);
    // One event a batch: every stage change writes its deal's last stay again, and a late one
    // the stays it lands between: the first stay of the deal above is written three times.
    // Nothing kept in memory: every batch reads the deal back, its transitions and amounts
    // from their stored form.
    const rebuilt = { ...opportunitiesProjection, name: `${OPPORTUNITIES_PROJECTION}_one_by_one` };
    const rebuilding = new Projections(
      { store, sql: typeOrmReadStore(dataSource) },
      { projections: [rebuilt], readStore: { url: postgres.url, embedded: postgres.embedded }, runner: { ...FAST_RUNNER, maxBatchSize: 1, memoryRows: 0 } },
    );
    rebuilding.start();
    try {
      await rebuilding.readYourWrites.waitForPosition(rebuilt.name, head, 30_000);
    } finally {
      await rebuilding.stop();
    }
    const rebuiltSchema = schemaNameOf(rebuilt.name, rebuilt.version);
    const sql = typeOrmReadStore(dataSource);
    expect(
      await rows(`SELECT seq, stage_id, exited_at FROM ${rebuiltSchema}.opportunity_stage_history WHERE opportunity_id = $1 ORDER BY seq`, [opportunityId]),
    ).toEqual([
      { seq: 1, stage_id: 'discovery', exited_at: new Date(on('08-10')) },
      { seq: 2, stage_id: 'proposal', exited_at: new Date(on('08-20')) },
      { seq: 3, stage_id: 'negotiation', exited_at: new Date(on('08-25')) },
    ]);
    expect(
      await rows(`SELECT kind, effective_at, amount_minor::int AS amount_minor FROM ${rebuiltSchema}.opportunity_amount_history WHERE opportunity_id = $1 ORDER BY effective_at`, [
        opportunityId,
      ]),
    ).toEqual([
      { kind: 'expected', effective_at: new Date(on('08-01')), amount_minor: 70_000 },
      { kind: 'expected', effective_at: new Date(on('08-05')), amount_minor: 90_000 },
      { kind: 'won', effective_at: new Date(on('08-25')), amount_minor: 85_000 },
    ]);
    const [stored] = await rows<{ transitions: string; amounts: string }>(`SELECT transitions, amounts FROM ${rebuiltSchema}.opportunities WHERE opportunity_id = $1`, [
      opportunityId,
    ]);
    // Appended to batch by batch, as the same compact JSON text as the list written whole.
    expect(stored.transitions).toBe(JSON.stringify(JSON.parse(stored.transitions)));
    expect(JSON.parse(stored.transitions)).toEqual([
      ['opened', 'discovery', on('08-01'), expect.any(String)],
      ['stage_change', 'negotiation', on('08-20'), expect.any(String)],
      ['stage_change', 'proposal', on('08-10'), expect.any(String)],
      // A close names the stage the deal was in as the write side saw it: the last one moved to.
      ['won', 'proposal', on('08-25'), expect.any(String)],
    ]);
    expect(JSON.parse(stored.amounts)).toEqual([
      ['expected', 70_000, 'EUR', on('08-01'), expect.any(String)],
      ['expected', 90_000, 'EUR', on('08-05'), expect.any(String)],
      ['won', 85_000, 'EUR', on('08-25'), expect.any(String)],
    ]);
    expect(await checksumsOfSchema(sql, rebuiltSchema)).toEqual(await checksumsOfSchema(sql, SCHEMA));
    expect(await rows(`SELECT count(*)::int AS count FROM ${rebuiltSchema}.stay_replacements`)).toEqual([{ count: 0 }]);
    const keys = await rows<{ table: string; key: string }>(
      `SELECT c.conrelid::regclass::text AS table, pg_get_constraintdef(c.oid) AS key FROM pg_constraint c
        WHERE c.connamespace = $1::regnamespace AND c.contype = 'p' ORDER BY 1`,
      [rebuiltSchema],
    );
    expect(keys.map(({ table, key }) => `${table.replace(`${rebuiltSchema}.`, '')} ${key}`)).toEqual([
      'deal_closes PRIMARY KEY (opportunity_id, seq)',
      'open_deal_owner_totals PRIMARY KEY (pipeline_id, owner_id, month_start, stage_id, currency) INCLUDE (count, amount_minor)',
      'open_deal_totals PRIMARY KEY (pipeline_id, period, period_start, stage_id, currency) INCLUDE (count, amount_minor)',
      'open_deals_to_net PRIMARY KEY (opportunity_id)',
      'opportunities PRIMARY KEY (opportunity_id)',
      'opportunity_amount_history PRIMARY KEY (opportunity_id, "position")',
      'opportunity_stage_history PRIMARY KEY (opportunity_id, seq)',
    ]);
  });
});
