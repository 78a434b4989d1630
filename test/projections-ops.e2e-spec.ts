import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { EventStore } from '@revops/event-store';
import { startApi, type RunningApi } from '../apps/api/src/bootstrap';
import { graphqlClient } from './support/graphql-client';
import { readModelsCaughtUp } from './support/read-models';
import { usePostgres, type PostgresHandle } from './support/postgres';

jest.setTimeout(120_000);

type Position = { commit: string; prepare: string };

type Status = {
  name: string;
  version: number;
  serving: boolean;
  schema: string;
  state: string;
  checkpoint: Position | null;
  lagEvents: number | null;
  failure: { position: Position | null; eventType: string | null; streamName: string | null; error: string; attempts: number } | null;
};

const STATUS_FIELDS = `name version serving schema state checkpoint { commit prepare } lagEvents
  failure { position { commit prepare } eventType streamName error attempts }`;

const stages = [
  { stageId: 'discovery', name: 'Discovery', order: 10, winProbability: 10 },
  { stageId: 'proposal', name: 'Proposal', order: 20, winProbability: 60 },
];

describe('Operating the read models over GraphQL', () => {
  let dataDir: string;
  let postgres: PostgresHandle;
  let api: RunningApi;
  let store: EventStore;
  let send: ReturnType<typeof graphqlClient>;
  let pipelineId: string;
  let accountId: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'revops-projections-ops-e2e-'));
    postgres = await usePostgres();
    api = await startApi({
      PORT: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: postgres.url,
      EVENTSTORE_URL: process.env.EVENTSTORE_URL,
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
    });
    store = new EventStore({ connectionString: api.runtime.eventStore.connectionString });
    send = graphqlClient(api.url);

    const defined = await send<{ definePipeline: { pipelineId: string } }>(
      'mutation ($input: DefinePipelineInput!) { definePipeline(input: $input) { pipelineId } }',
      { input: { name: 'Operations', stages } },
    );
    pipelineId = defined.data!.definePipeline.pipelineId;
    const account = await send<{ createAccount: { accountId: string } }>(
      'mutation ($input: CreateAccountInput!) { createAccount(input: $input) { accountId } }',
      { input: { name: 'Wayne Enterprises', domain: 'wayne-enterprises.com' } },
    );
    accountId = account.data!.createAccount.accountId;
  });

  afterAll(async () => {
    await store?.close();
    await api?.close();
    await postgres?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function statuses(name?: string): Promise<Status[]> {
    const response = await send<{ projections: Status[] }>(`query ($name: String) { projections(name: $name) { ${STATUS_FIELDS} } }`, {
      name,
    });
    expect(response.errors).toBeUndefined();
    return response.data!.projections;
  }

  async function eventually(name: string, predicate: (status: Status) => boolean): Promise<Status> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [status] = (await statuses(name)).filter((candidate) => candidate.serving);
      if (status && predicate(status)) return status;
      if (Date.now() > deadline) throw new Error(`projection ${name} never got there: ${JSON.stringify(status)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function openDeal(name: string): Promise<{ opportunityId: string; position: Position }> {
    const response = await send<{ openOpportunity: { opportunityId: string; position: Position } }>(
      'mutation ($input: OpenOpportunityInput!) { openOpportunity(input: $input) { opportunityId position { commit prepare } } }',
      {
        input: {
          name,
          accountId,
          pipelineId,
          stageId: 'discovery',
          amount: { amountMinor: 1_000_000, currency: 'EUR' },
          expectedCloseDate: '2025-03-31',
        },
      },
      { 'x-actor-id': 'rep-ops' },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.openOpportunity;
  }

  /** The schema of the serving version of the opportunities read model. */
  async function opportunitiesSchema(): Promise<string> {
    return (await eventually('opportunities', () => true)).schema;
  }

  async function opportunityRows(ids: string[]): Promise<string[]> {
    const rows = await api.app
      .get(DataSource)
      .query<{ opportunity_id: string }[]>(
        `SELECT opportunity_id FROM ${await opportunitiesSchema()}.opportunities WHERE opportunity_id = ANY($1) ORDER BY name`,
        [ids],
      );
    return rows.map((row) => row.opportunity_id);
  }

  /** An opportunity event written around the api, with data its projection cannot store. */
  async function appendBrokenOpening(): Promise<{ streamName: string }> {
    const streamName = `opportunity-${randomUUID()}`;
    await store.append(
      streamName,
      [
        {
          type: 'OpportunityOpened',
          // No name, account, pipeline or amount: the projection cannot make a row of it.
          data: { opportunityId: streamName.slice('opportunity-'.length), openedAt: '2024-06-01T00:00:00.000Z' },
          metadata: {
            $correlationId: randomUUID(),
            $causationId: randomUUID(),
            actor: { type: 'system', id: 'ops-test' },
            source: 'import',
            occurredAt: '2024-06-01T00:00:00.000Z',
          },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    return { streamName };
  }

  it('reports every read model with its checkpoint and lag once it has caught up', async () => {
    const { position } = await openDeal('Status check');
    const names = ['campaigns', 'contacts', 'opportunities', 'pipelines', 'touchpoints'];
    await readModelsCaughtUp(send, names);
    await eventually('opportunities', (status) => BigInt(status.checkpoint?.commit ?? 0) >= BigInt(position.commit));

    const all = await statuses();
    expect(all.filter((status) => status.serving).map((status) => status.name)).toEqual(
      expect.arrayContaining(names),
    );
    const [opportunities] = all.filter((status) => status.name === 'opportunities');
    expect(opportunities).toMatchObject({ state: 'CAUGHT_UP', lagEvents: 0, failure: null });
    expect(BigInt(opportunities.checkpoint!.commit)).toBeGreaterThanOrEqual(BigInt(position.commit));
  });

  it('shows a stall with the event and error, and skips exactly that event on request', async () => {
    const { streamName } = await appendBrokenOpening();

    const stalled = await eventually('opportunities', (status) => status.state === 'STALLED');
    expect(stalled.failure).toMatchObject({ eventType: 'OpportunityOpened', streamName });
    expect(stalled.failure!.error).toMatch(/amountMinor/);
    // Events after the broken one wait: nothing is skipped silently.
    const waiting = await openDeal('Behind the stall');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await opportunityRows([waiting.opportunityId])).toEqual([]);

    const wrongPosition = { commit: '1', prepare: '1' };
    const refused = await send(
      'mutation ($input: SkipProjectionEventInput!) { skipProjectionEvent(input: $input) { state } }',
      { input: { name: 'opportunities', version: stalled.version, reason: 'imported by mistake', position: wrongPosition } },
      { 'x-actor-id': 'ops-oncall' },
    );
    expect(refused.errors?.[0].extensions.code).toBe('PROJECTION_SKIP_MISMATCH');

    const skipped = await send<{ skipProjectionEvent: Status[] }>(
      `mutation ($input: SkipProjectionEventInput!) { skipProjectionEvent(input: $input) { ${STATUS_FIELDS} } }`,
      { input: { name: 'opportunities', version: stalled.version, reason: 'imported by mistake', position: stalled.failure!.position } },
      { 'x-actor-id': 'ops-oncall' },
    );
    expect(skipped.errors).toBeUndefined();

    await eventually('opportunities', (status) => status.state === 'CAUGHT_UP');
    expect(await opportunityRows([waiting.opportunityId])).toEqual([waiting.opportunityId]);
    const [failure] = await api.app
      .get(DataSource)
      .query(
        `SELECT resolution, resolved_by, resolution_reason FROM projection_failures WHERE stream_name = $1 AND projection_name = 'opportunities'`,
        [streamName],
      );
    expect(failure).toEqual({ resolution: 'skipped', resolved_by: 'ops-oncall', resolution_reason: 'imported by mistake' });
    // Attribution reads the same stream and stalls on the same event, on its own: each read
    // model is operated apart.
    expect((await eventually('attribution', (status) => status.state === 'STALLED')).failure).toMatchObject({ streamName });
  });

  it('resumes a stalled read model after the cause is fixed, applying what waited', async () => {
    const readStore = api.app.get(DataSource);
    const schema = await opportunitiesSchema();
    // A damaged read store stands in for a fault outside the events: the table is gone.
    await readStore.query(`ALTER TABLE ${schema}.opportunity_stage_history RENAME TO stage_history_moved`);
    const first = await openDeal('Before the fix');

    const stalled = await eventually('opportunities', (status) => status.state === 'STALLED');
    expect(stalled.failure!.error).toMatch(/opportunity_stage_history/);

    await readStore.query(`ALTER TABLE ${schema}.stage_history_moved RENAME TO opportunity_stage_history`);
    const resumed = await send<{ resumeProjection: Status[] }>(
      'mutation ($input: ResumeProjectionInput!) { resumeProjection(input: $input) { name state } }',
      { input: { name: 'opportunities', version: stalled.version, reason: 'table restored' } },
      { 'x-actor-id': 'ops-oncall' },
    );
    expect(resumed.errors).toBeUndefined();

    const second = await openDeal('After the fix');
    await eventually('opportunities', (status) => status.state === 'CAUGHT_UP' && status.failure === null);
    // Ordered by name: "After the fix" before "Before the fix".
    expect(await opportunityRows([first.opportunityId, second.opportunityId])).toEqual([second.opportunityId, first.opportunityId]);
  });

  it('refuses an operation on a version that is not stalled, and bad input naming the field', async () => {
    const notStalled = await send(
      'mutation ($input: ResumeProjectionInput!) { resumeProjection(input: $input) { state } }',
      { input: { name: 'opportunities', version: 1, reason: 'just because' } },
    );
    expect(notStalled.errors?.[0].extensions.code).toBe('PROJECTION_NOT_STALLED');

    const badInput = await send(
      'mutation ($input: ResumeProjectionInput!) { resumeProjection(input: $input) { state } }',
      { input: { name: 'Opportunities!', version: 1, reason: 'x' } },
    );
    expect(badInput.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((badInput.errors?.[0].extensions.fieldErrors ?? []).map((error) => error.field).sort()).toEqual(['name', 'reason']);
  });
});
