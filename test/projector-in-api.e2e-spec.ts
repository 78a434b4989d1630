import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { opportunityDecider, opportunityStreamName, pipelineDecider, pipelineStagesOf, pipelineStreamName } from '@revops/domain';
import { EventStore, type Position } from '@revops/event-store';
import { loadConfig } from '@revops/platform';
import { withClient } from '@revops/read-models';
import { OPPORTUNITIES_PROJECTION, opportunitiesProjection, pipelinesProjection, ReadYourWrites, schemaNameOf } from '@revops/projections';
import { ApiRuntime } from '../apps/api/src/api-runtime';
import { startApi, type RunningApi } from '../apps/api/src/bootstrap';
import { startProjector, type RunningProjector } from '../apps/projector/src/bootstrap';
import type { Client as SubscriptionClient } from 'graphql-ws';
import { useEventStore, type EventStoreHandle } from './support/event-store';
import { graphqlClient } from './support/graphql-client';
import { usePostgres, type PostgresHandle } from './support/postgres';
import { collect, connectSubscriptions } from './support/subscriptions';

const OPPORTUNITIES = schemaNameOf(OPPORTUNITIES_PROJECTION, opportunitiesProjection.version);
const PIPELINES = schemaNameOf(pipelinesProjection.name, pipelinesProjection.version);

// A first embedded PostgreSQL start initialises a cluster, which takes seconds.
jest.setTimeout(120_000);

const stages = [
  { stageId: 'discovery', name: 'Discovery', order: 10, winProbability: 10 },
  { stageId: 'proposal', name: 'Proposal', order: 20, winProbability: 60 },
];

/** A query on a connection of its own, as psql or a BI tool would run it. */
async function queryServer<Row>(url: string, sql: string, parameters: unknown[] = []): Promise<Row[]> {
  return withClient(url, async (client) => (await client.query(sql, parameters)).rows as Row[]);
}

type Receipt = { position: { commit: string; prepare: string } };

const positionOf = (receipt: Receipt): Position => ({
  commit: BigInt(receipt.position.commit),
  prepare: BigInt(receipt.position.prepare),
});

describe('Projections in the running processes', () => {
  describe('the api with embedded stores', () => {
    let dataDir: string;
    let api: RunningApi;

    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'revops-projections-e2e-'));
      // Neither store URL, whatever the environment says: the api starts both stores itself.
      api = await startApi({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_ENV: 'test' });
    });

    afterAll(async () => {
      await api?.close();
      await rm(dataDir, { recursive: true, force: true });
    });

    it('projects a pipeline and an opportunity opened over GraphQL into the read models', async () => {
      const send = graphqlClient(api.url);
      const rep = { 'x-actor-id': 'rep-ann' };
      const defined = await send<{ definePipeline: { pipelineId: string } & Receipt }>(
        'mutation ($input: DefinePipelineInput!) { definePipeline(input: $input) { pipelineId position { commit prepare } } }',
        { input: { name: 'Enterprise', stages } },
      );
      expect(defined.errors).toBeUndefined();
      const pipelineId = defined.data!.definePipeline.pipelineId;
      const account = await send<{ createAccount: { accountId: string } }>(
        'mutation ($input: CreateAccountInput!) { createAccount(input: $input) { accountId } }',
        { input: { name: 'Stark Industries', domain: 'stark-industries.com' } },
      );
      const accountId = account.data!.createAccount.accountId;
      const opened = await send<{ openOpportunity: { opportunityId: string } & Receipt }>(
        'mutation ($input: OpenOpportunityInput!) { openOpportunity(input: $input) { opportunityId position { commit prepare } } }',
        {
          input: {
            name: 'Stark rollout',
            accountId,
            pipelineId,
            stageId: 'proposal',
            amount: { amountMinor: 7_500_000, currency: 'USD' },
            expectedCloseDate: '2024-10-31',
            occurredAt: '2024-06-03T09:00:00Z',
          },
        },
        rep,
      );
      expect(opened.errors).toBeUndefined();
      const opportunityId = opened.data!.openOpportunity.opportunityId;
      // Read your writes: the positions the mutations returned, as a query will wait for them.
      const projected = api.app.get(ReadYourWrites);
      await projected.waitForPosition('pipelines', positionOf(defined.data!.definePipeline), 15_000);
      await projected.waitForPosition('opportunities', positionOf(opened.data!.openOpportunity), 15_000);

      // Through the api's own connection: embedded PostgreSQL is one session, and a second
      // client's extended-protocol messages can interleave with the runner's.
      const readStore = api.app.get(DataSource);
      const query = (text: string, parameters: unknown[]) => readStore.query(text, parameters);
      expect(
        await query(`SELECT name, revision FROM ${PIPELINES}.pipelines WHERE pipeline_id = $1`, [pipelineId]),
      ).toEqual([{ name: 'Enterprise', revision: 1 }]);
      expect(
        await query(`SELECT stage_id, stage_order FROM ${PIPELINES}.pipeline_stages WHERE pipeline_id = $1 ORDER BY stage_order`, [
          pipelineId,
        ]),
      ).toEqual([
        { stage_id: 'discovery', stage_order: 10 },
        { stage_id: 'proposal', stage_order: 20 },
      ]);
      expect(
        await query(
          `SELECT name, account_id, owner_id, pipeline_id, stage_id, amount_minor::int AS amount_minor, currency, status, opened_at
             FROM ${OPPORTUNITIES}.opportunities WHERE opportunity_id = $1`,
          [opportunityId],
        ),
      ).toEqual([
        {
          name: 'Stark rollout',
          account_id: accountId,
          owner_id: 'rep-ann',
          pipeline_id: pipelineId,
          stage_id: 'proposal',
          amount_minor: 7_500_000,
          currency: 'USD',
          status: 'open',
          opened_at: new Date('2024-06-03T09:00:00.000Z'),
        },
      ]);
      expect(
        await query(`SELECT stage_id, entered_at, exited_at FROM ${OPPORTUNITIES}.opportunity_stage_history WHERE opportunity_id = $1`, [
          opportunityId,
        ]),
      ).toEqual([{ stage_id: 'proposal', entered_at: new Date('2024-06-03T09:00:00.000Z'), exited_at: null }]);
    });
  });

  // The standalone projector needs a PostgreSQL server with real sessions (CI runs this suite
  // against one); embedded PostgreSQL belongs to the api, which runs the projections itself (above).
  const withPostgresServer = process.env.DATABASE_URL ? describe : undefined;

  withPostgresServer?.('the projector beside external stores', () => {
    let eventStore: EventStoreHandle;
    let postgres: PostgresHandle;
    let projector: RunningProjector;
    let store: EventStore;

    beforeAll(async () => {
      [eventStore, postgres] = await Promise.all([useEventStore(), usePostgres()]);
      store = new EventStore({ connectionString: eventStore.connectionString });
      projector = await startProjector({
        PORT: '0',
        EVENTSTORE_URL: eventStore.connectionString,
        DATABASE_URL: postgres.url,
        LOG_LEVEL: 'warn',
      });
    });

    afterAll(async () => {
      await projector?.close();
      await store?.close();
      await postgres?.stop();
      await eventStore?.stop();
    });

    it('projects what the write side appends', async () => {
      const pipelineId = `pl-${randomUUID()}`;
      const opportunityId = `opp-${randomUUID()}`;
      const context = (occurredAt: string) => ({
        correlationId: randomUUID(),
        causationId: randomUUID(),
        actor: { type: 'user' as const, id: 'rep-kim' },
        source: 'api',
        occurredAt,
      });
      const { state } = await store.handle(
        pipelineStreamName(pipelineId),
        pipelineDecider,
        { type: 'DefinePipeline', data: { pipelineId, name: 'SMB', stages, definedAt: '2024-02-01T09:00:00.000Z' } },
        context('2024-02-01T09:00:00.000Z'),
      );
      const opened = await store.handle(
        opportunityStreamName(opportunityId),
        opportunityDecider,
        {
          type: 'OpenOpportunity',
          data: {
            opportunityId,
            name: 'Wayne pilot',
            accountId: 'wayne',
            contactRoles: [],
            pipeline: pipelineStagesOf(state, pipelineId),
            stageId: 'discovery',
            amount: { amountMinor: 50_000, currency: 'EUR' },
            expectedCloseDate: '2024-04-30',
            ownerId: 'rep-kim',
            openedAt: '2024-02-05T09:00:00.000Z',
          },
        },
        context('2024-02-05T09:00:00.000Z'),
      );

      const projected = projector.app.get(ReadYourWrites);
      await projected.waitForPosition('opportunities', opened.position as Position, 15_000);
      await projected.waitForPosition('pipelines', opened.position as Position, 15_000);

      expect(
        await queryServer(postgres.url, `SELECT stage_id, status FROM ${OPPORTUNITIES}.opportunities WHERE opportunity_id = $1`, [
          opportunityId,
        ]),
      ).toEqual([{ stage_id: 'discovery', status: 'open' }]);
      expect(
        await queryServer(postgres.url, `SELECT name FROM ${PIPELINES}.pipelines WHERE pipeline_id = $1`, [pipelineId]),
      ).toEqual([{ name: 'SMB' }]);
    });
  });

  withPostgresServer?.('live updates when a separate projector runs the projections', () => {
    let eventStore: EventStoreHandle;
    let postgres: PostgresHandle;
    let projector: RunningProjector;
    let api: RunningApi;
    let dataDir: string;
    let ws: SubscriptionClient;

    beforeAll(async () => {
      [eventStore, postgres] = await Promise.all([useEventStore(), usePostgres()]);
      dataDir = await mkdtemp(join(tmpdir(), 'revops-live-projector-e2e-'));
      projector = await startProjector({ PORT: '0', EVENTSTORE_URL: eventStore.connectionString, DATABASE_URL: postgres.url, LOG_LEVEL: 'warn' });
      api = await startApi({
        PORT: '0',
        DATA_DIR: dataDir,
        EVENTSTORE_URL: eventStore.connectionString,
        DATABASE_URL: postgres.url,
        RUN_PROJECTIONS: 'false',
        LOG_LEVEL: 'warn',
        NODE_ENV: 'test',
      });
      ws = await connectSubscriptions(api.url);
    });

    afterAll(async () => {
      await ws?.dispose();
      await api?.close();
      await projector?.close();
      await postgres?.stop();
      await eventStore?.stop();
      await rm(dataDir, { recursive: true, force: true });
    });

    it("pushes the projector's commits to the api's subscribers", async () => {
      const send = graphqlClient(api.url);
      const defined = await send<{ definePipeline: { pipelineId: string } }>(
        'mutation ($input: DefinePipelineInput!) { definePipeline(input: $input) { pipelineId } }',
        { input: { name: 'Remote', stages: [{ stageId: 'discovery', name: 'Discovery', order: 10, winProbability: 10 }] } },
      );
      expect(defined.errors).toBeUndefined();
      const pipelineId = defined.data!.definePipeline.pipelineId;
      const account = await send<{ createAccount: { accountId: string } & Receipt }>(
        'mutation ($input: CreateAccountInput!) { createAccount(input: $input) { accountId position { commit prepare } } }',
        { input: { name: 'Initech', domain: 'initech.example' } },
      );
      // Changes are published once a version serves, never while it is first built: the
      // projector's opportunities version must have caught up before the deal opens.
      await projector.app.get(ReadYourWrites).waitForPosition('opportunities', positionOf(account.data!.createAccount), 30_000);
      type Change = { opportunityChanged: { opportunityId: string; name: string } & Receipt };
      const changes = collect<Change>(
        ws,
        'subscription ($pipelineId: ID!) { opportunityChanged(pipelineId: $pipelineId) { opportunityId name position { commit prepare } } }',
        { pipelineId },
      );
      await new Promise((resolve) => setTimeout(resolve, 300));

      const opened = await send<{ openOpportunity: { opportunityId: string } & Receipt }>(
        'mutation ($input: OpenOpportunityInput!) { openOpportunity(input: $input) { opportunityId position { commit prepare } } }',
        {
          input: {
            name: 'TPS reports',
            accountId: account.data!.createAccount.accountId,
            pipelineId,
            stageId: 'discovery',
            amount: { amountMinor: 90_000, currency: 'USD' },
            expectedCloseDate: '2025-06-30',
          },
        },
        { 'x-actor-id': 'rep-remote' },
      );
      expect(opened.errors).toBeUndefined();

      const [change] = await changes.atLeast(1);
      changes.stop();
      expect(change.opportunityChanged).toMatchObject({ opportunityId: opened.data!.openOpportunity.opportunityId, name: 'TPS reports' });
      expect(BigInt(change.opportunityChanged.position.commit)).toBeGreaterThanOrEqual(BigInt(opened.data!.openOpportunity.position.commit));
    });
  });

  describe('whether the api runs the projections', () => {
    const logger = pino({ enabled: false });
    const runtime = (env: NodeJS.ProcessEnv, eventStore: 'embedded' | 'external', readStore: 'embedded' | 'external') =>
      new ApiRuntime(
        loadConfig(env),
        { connectionString: 'esdb://localhost:2113?tls=false', mode: eventStore },
        { url: 'postgres://postgres@localhost:5432/revops', mode: readStore },
        logger,
      );

    it.each([
      ['both stores embedded', 'embedded', 'embedded', true],
      ['only the event store embedded', 'embedded', 'external', true],
      ['only PostgreSQL embedded', 'external', 'embedded', true],
      ['both stores external', 'external', 'external', false],
    ] as const)('by default: runs them with %s', (_case, eventStore, readStore, expected) => {
      expect(runtime({}, eventStore, readStore).runsProjections).toBe(expected);
    });

    it('follows RUN_PROJECTIONS when it is set', () => {
      expect(runtime({ RUN_PROJECTIONS: 'true' }, 'external', 'external').runsProjections).toBe(true);
      expect(runtime({ RUN_PROJECTIONS: 'false' }, 'embedded', 'embedded').runsProjections).toBe(false);
    });
  });
});
