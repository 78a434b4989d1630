import type { Client } from 'graphql-ws';
import { collect, connectSubscriptions } from './support/subscriptions';
import { type RunningApi } from '../apps/api/src/bootstrap';
import { graphqlClient } from './support/graphql-client';
import { readModelsCaughtUp } from './support/read-models';
import { sampleOf, scrapeUntil } from './support/metrics';
import request from 'supertest';
import { startTestApi, type TestApi } from './support/api';

jest.setTimeout(120_000);

type Position = { commit: string; prepare: string };

const stages = [
  { stageId: 'discovery', name: 'Discovery', order: 10, winProbability: 10 },
  { stageId: 'proposal', name: 'Proposal', order: 20, winProbability: 60 },
];

describe('Live updates over graphql-ws', () => {
  let testApi: TestApi;
  let api: RunningApi;
  let ws: Client;
  let send: ReturnType<typeof graphqlClient>;
  let accountId: string;

  beforeAll(async () => {
    testApi = await startTestApi('live');
    ({ api, send } = testApi);
    // Connected before any test subscribes, so a subscription only has its own message to wait for.
    ws = await connectSubscriptions(api.url);
    const account = await send<{ createAccount: { accountId: string } }>(
      'mutation ($input: CreateAccountInput!) { createAccount(input: $input) { accountId } }',
      { input: { name: 'Acme Corporation', domain: 'acme-corp.example' } },
    );
    accountId = account.data!.createAccount.accountId;
    await readModelsCaughtUp(send, ['pipelines', 'opportunities']);
  });

  afterAll(async () => {
    await ws?.dispose();
    await testApi?.close();
  });

  async function definePipeline(name: string): Promise<string> {
    const response = await send<{ definePipeline: { pipelineId: string } }>(
      'mutation ($input: DefinePipelineInput!) { definePipeline(input: $input) { pipelineId } }',
      { input: { name, stages } },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.definePipeline.pipelineId;
  }

  async function openDeal(pipelineId: string, name: string, amountMinor: number) {
    const response = await send<{ openOpportunity: { opportunityId: string; position: Position } }>(
      'mutation ($input: OpenOpportunityInput!) { openOpportunity(input: $input) { opportunityId position { commit prepare } } }',
      {
        input: {
          name,
          accountId,
          pipelineId,
          stageId: 'discovery',
          amount: { amountMinor, currency: 'USD' },
          expectedCloseDate: '2025-06-30',
        },
      },
      { 'x-actor-id': 'rep-live' },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.openOpportunity;
  }

  it("pushes each change of a pipeline's deals to its subscribers, and only theirs, after it is projected", async () => {
    const watched = await definePipeline('Watched');
    const other = await definePipeline('Other');
    type Change = { opportunityChanged: { opportunityId: string; stageId: string; status: string; amountMinor: number; position: Position } };
    const changes = collect<Change>(
      ws,
      'subscription ($pipelineId: ID!) { opportunityChanged(pipelineId: $pipelineId) { opportunityId stageId status amountMinor position { commit prepare } } }',
      { pipelineId: watched },
    );
    // The subscription is registered once the server acknowledged it; a first harmless write
    // in another pipeline gives it time without being delivered.
    await new Promise((resolve) => setTimeout(resolve, 300));

    await openDeal(other, 'Elsewhere', 50_000);
    const opened = await openDeal(watched, 'Rocket skates', 120_000);
    const moved = await send<{ changeOpportunityStage: { position: Position } }>(
      'mutation ($input: ChangeOpportunityStageInput!) { changeOpportunityStage(input: $input) { position { commit prepare } } }',
      { input: { opportunityId: opened.opportunityId, stageId: 'proposal' } },
    );
    expect(moved.errors).toBeUndefined();

    // One message per deal per projected batch: the opening and the move may land in one batch.
    // A message carries the deal as read once its batch committed, which may already show a
    // later batch, so the wait is for the message of the batch that holds the move.
    const movedAt = BigInt(moved.data!.changeOpportunityStage.position.commit);
    const deadline = Date.now() + 15_000;
    while (!changes.received.some((change) => BigInt(change.opportunityChanged.position.commit) >= movedAt) && Date.now() < deadline) {
      await changes.atLeast(changes.received.length + 1, 1_000);
    }
    changes.stop();
    const received = changes.received;
    const states = received.map(({ opportunityChanged: { opportunityId, stageId, status, amountMinor } }) => ({ opportunityId, stageId, status, amountMinor }));
    expect(states[states.length - 1]).toEqual({ opportunityId: opened.opportunityId, stageId: 'proposal', status: 'open', amountMinor: 120_000 });
    expect(states.every((state) => state.opportunityId === opened.opportunityId && ['discovery', 'proposal'].includes(state.stageId))).toBe(true);
    // Published after the commit: the read model has passed the write when the message arrives.
    const lastPosition = received[received.length - 1].opportunityChanged.position;
    expect(BigInt(lastPosition.commit)).toBeGreaterThanOrEqual(movedAt);
  });

  it('tells pipeline subscribers which deals changed', async () => {
    const pipelineId = await definePipeline('Notified');
    type Change = { pipelineChanged: { pipelineId: string; opportunityIds: string[] } };
    const changes = collect<Change>(
      ws,
      'subscription ($pipelineId: ID!) { pipelineChanged(pipelineId: $pipelineId) { pipelineId opportunityIds } }',
      { pipelineId },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    const opened = await openDeal(pipelineId, 'Giant magnet', 990_000);

    // The definition of the pipeline may be projected after the subscription started, and is
    // announced with no deals; the deal follows in a change of its own.
    const deadline = Date.now() + 15_000;
    while (!changes.received.some((change) => change.pipelineChanged.opportunityIds.length > 0) && Date.now() < deadline) {
      await changes.atLeast(changes.received.length + 1, 1_000);
    }
    changes.stop();
    expect(changes.received.filter((change) => change.pipelineChanged.opportunityIds.length > 0)).toEqual([
      { pipelineChanged: { pipelineId, opportunityIds: [opened.opportunityId] } },
    ]);
    expect(changes.received.every((change) => change.pipelineChanged.pipelineId === pipelineId)).toBe(true);
  });

  it('counts the subscriptions open in its metrics, each until it is completed or its connection closes', async () => {
    const series = 'revops_graphql_subscriptions{field="pipelineChanged"}';
    const openNow = async (count: number) => {
      const response = await scrapeUntil(api.url, [`${series} ${count}`]);
      expect(sampleOf(response.text, series)).toBe(count);
    };
    const before = sampleOf((await request(api.url).get('/metrics')).text, series);
    const query = 'subscription ($pipelineId: ID!) { pipelineChanged(pipelineId: $pipelineId) { pipelineId } }';
    const other = await connectSubscriptions(api.url);
    try {
      const completed = collect<unknown>(ws, query, { pipelineId: 'counted-1' });
      const closed = collect<unknown>(other, query, { pipelineId: 'counted-2' });
      await openNow(before + 2);

      completed.stop();
      await openNow(before + 1);

      await other.dispose();
      await openNow(before);
      expect(closed.errors).toEqual([]);
    } finally {
      await other.dispose();
    }
  });

  it('refuses a subscription without a well-formed pipeline id, naming the field', async () => {
    const changes = collect<unknown>(ws, 'subscription ($pipelineId: ID!) { pipelineChanged(pipelineId: $pipelineId) { pipelineId } }', {
      pipelineId: '   ',
    });
    const deadline = Date.now() + 10_000;
    while (changes.errors.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    changes.stop();

    expect(JSON.stringify(changes.errors)).toMatch(/pipelineId/);
  });
});
