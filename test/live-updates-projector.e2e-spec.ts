import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'graphql-ws';
import { startApi, type RunningApi } from '../apps/api/src/bootstrap';
import { startProjector, type RunningProjector } from '../apps/projector/src/bootstrap';
import { useEventStore, type EventStoreHandle } from './support/event-store';
import { graphqlClient } from './support/graphql-client';
import { usePostgres, type PostgresHandle } from './support/postgres';
import { collect, connectSubscriptions } from './support/subscriptions';

jest.setTimeout(120_000);

type Position = { commit: string; prepare: string };

// A separate projector needs a PostgreSQL server both processes reach; embedded PostgreSQL
// belongs to the api, which runs the projections and publishes its own commits.
const withPostgresServer = process.env.DATABASE_URL ? describe : undefined;

withPostgresServer?.('Live updates when a separate projector runs the projections', () => {
  let eventStore: EventStoreHandle;
  let postgres: PostgresHandle;
  let projector: RunningProjector;
  let api: RunningApi;
  let dataDir: string;
  let ws: Client;

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
    const account = await send<{ createAccount: { accountId: string } }>(
      'mutation ($input: CreateAccountInput!) { createAccount(input: $input) { accountId } }',
      { input: { name: 'Initech', domain: 'initech.example' } },
    );
    type Change = { opportunityChanged: { opportunityId: string; name: string; position: Position } };
    const changes = collect<Change>(
      ws,
      'subscription ($pipelineId: ID!) { opportunityChanged(pipelineId: $pipelineId) { opportunityId name position { commit prepare } } }',
      { pipelineId },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    const opened = await send<{ openOpportunity: { opportunityId: string; position: Position } }>(
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
