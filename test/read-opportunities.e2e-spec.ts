import { DataSource } from 'typeorm';
import { OPPORTUNITIES_PROJECTION, opportunitiesProjection, schemaNameOf } from '@revops/projections';
import { type RunningApi } from '../apps/api/src/bootstrap';
import { graphqlClient, type GraphqlResponse, runMutation } from './support/graphql-client';
import { startTestApi, type TestApi } from './support/api';
import { readStoreStatementsDuring } from './support/read-store-statements';

// Starting the stores (a first embedded PostgreSQL start initialises a cluster) takes seconds.
jest.setTimeout(180_000);

type Position = { commit: string; prepare: string };

const enterpriseStages = [
  { stageId: 'discovery', name: 'Discovery', order: 10, winProbability: 10 },
  { stageId: 'demo', name: 'Demo', order: 20, winProbability: 30 },
  { stageId: 'proposal', name: 'Proposal', order: 30, winProbability: 60 },
  { stageId: 'negotiation', name: 'Negotiation', order: 40, winProbability: 80 },
];
const smbStages = [
  { stageId: 'discovery', name: 'Discovery', order: 10, winProbability: 20 },
  { stageId: 'proposal', name: 'Proposal', order: 20, winProbability: 50 },
];

const accounts = [
  { accountId: 'acme', name: 'Acme Corp', domain: 'acme-corp.com' },
  { accountId: 'globex', name: 'Globex', domain: 'globex.com' },
  { accountId: 'initech', name: 'Initech', domain: 'initech.com' },
  { accountId: 'hooli', name: 'Hooli', domain: 'hooli.com' },
  { accountId: 'umbrella', name: 'Umbrella', domain: 'umbrella-corp.com' },
  { accountId: 'vandelay', name: 'Vandelay Industries', domain: 'vandelay.com' },
];

// Opened one per day, except opp-07, which ties with opp-06; amounts tie for opp-02 and opp-05,
// close dates for opp-01/opp-05 and opp-02/opp-07, so every order needs its id tie-breaker.
const deals = [
  ['opp-01', 'Acme Analytics', 'acme', 'rep-ann', 'enterprise', 'discovery', 120_000, 'EUR', '2024-07-15', '2024-03-01T09:00:00Z'],
  ['opp-02', 'Acme Billing', 'acme', 'rep-ann', 'enterprise', 'demo', 450_000, 'EUR', '2024-08-31', '2024-03-02T09:00:00Z'],
  ['opp-03', 'Globex Cloud', 'globex', 'rep-bo', 'enterprise', 'proposal', 300_000, 'EUR', '2024-06-30', '2024-03-03T09:00:00Z'],
  ['opp-04', 'Globex Data', 'globex', 'rep-bo', 'enterprise', 'discovery', 90_000, 'EUR', '2024-09-30', '2024-03-04T09:00:00Z'],
  ['opp-05', 'Initech Pilot', 'initech', 'rep-cy', 'enterprise', 'negotiation', 450_000, 'EUR', '2024-07-15', '2024-03-05T09:00:00Z'],
  ['opp-06', 'Initech Rollout', 'initech', 'rep-ann', 'enterprise', 'proposal', 800_000, 'USD', '2024-10-31', '2024-03-06T09:00:00Z'],
  ['opp-07', 'Hooli Search', 'hooli', 'rep-bo', 'enterprise', 'demo', 60_000, 'USD', '2024-08-31', '2024-03-06T09:00:00Z'],
  ['opp-08', 'Hooli Mail', 'hooli', 'rep-cy', 'enterprise', 'discovery', 250_000, 'EUR', '2024-11-30', '2024-03-08T09:00:00Z'],
  ['opp-09', 'Umbrella Labs', 'umbrella', 'rep-ann', 'enterprise', 'proposal', 175_000, 'EUR', '2024-12-15', '2024-03-09T09:00:00Z'],
  ['opp-10', 'Umbrella Ops', 'umbrella', 'rep-cy', 'enterprise', 'demo', 30_000, 'EUR', '2024-07-01', '2024-03-10T09:00:00Z'],
  ['opp-11', 'Vandelay Starter', 'vandelay', 'rep-bo', 'smb', 'discovery', 15_000, 'EUR', '2024-05-31', '2024-03-11T09:00:00Z'],
  ['opp-12', 'Vandelay Plus', 'vandelay', 'rep-ann', 'smb', 'proposal', 45_000, 'EUR', '2024-06-15', '2024-03-12T09:00:00Z'],
] as const;

const pageQuery = `
  query ($filter: OpportunityFilterInput, $first: Int, $after: String, $orderBy: OpportunityOrderInput, $minPosition: PositionInput) {
    opportunities(filter: $filter, first: $first, after: $after, orderBy: $orderBy, minPosition: $minPosition) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id } }
    }
  }`;

type Page = {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: { id: string } }[];
};

describe('Reading opportunities over GraphQL', () => {
  let testApi: TestApi;
  let api: RunningApi;
  let send: ReturnType<typeof graphqlClient>;
  let written: Position;
  const contactIds = { ann: 'c-ann-acme', bob: 'c-bob-acme', carla: 'c-carla-globex' };

  async function mutate(name: string, input: Record<string, unknown>, headers: Record<string, string> = {}): Promise<void> {
    written = (await runMutation(send, name, input, { headers })).position;
  }

  async function page(variables: Record<string, unknown>): Promise<Page> {
    const response = await send<{ opportunities: Page }>(pageQuery, { minPosition: written, ...variables });
    expect(response.errors).toBeUndefined();
    return response.data!.opportunities;
  }

  const idsOf = (result: Page) => result.edges.map((edge) => edge.node.id);

  beforeAll(async () => {
    testApi = await startTestApi('read-opportunities');
    ({ api, send } = testApi);

    const definedAt = '2024-02-01T08:00:00Z';
    await mutate('definePipeline', { pipelineId: 'enterprise', name: 'Enterprise', stages: enterpriseStages, occurredAt: definedAt });
    await mutate('definePipeline', { pipelineId: 'smb', name: 'SMB', stages: smbStages, occurredAt: definedAt });
    for (const account of accounts) await mutate('createAccount', { ...account, occurredAt: '2024-02-10T08:00:00Z' });
    await mutate('captureLead', { contactId: contactIds.ann, email: 'ann@acme-corp.com', firstName: 'Ann', lastName: 'Archer', occurredAt: '2024-02-20T08:00:00Z' });
    await mutate('captureLead', { contactId: contactIds.bob, email: 'bob@acme-corp.com', firstName: 'Bob', lastName: 'Baker', occurredAt: '2024-02-21T08:00:00Z' });
    await mutate('captureLead', { contactId: contactIds.carla, email: 'carla@globex.com', firstName: 'Carla', lastName: 'Cruz', occurredAt: '2024-02-22T08:00:00Z' });

    const contactRoles: Record<string, { contactId: string; role: string }[]> = {
      'opp-01': [
        { contactId: contactIds.ann, role: 'DECISION_MAKER' },
        { contactId: contactIds.bob, role: 'CHAMPION' },
      ],
      'opp-02': [{ contactId: contactIds.bob, role: 'EVALUATOR' }],
      'opp-03': [{ contactId: contactIds.carla, role: 'ECONOMIC_BUYER' }],
    };
    for (const [opportunityId, name, accountId, ownerId, pipelineId, stageId, amountMinor, currency, expectedCloseDate, openedAt] of deals) {
      await mutate('openOpportunity', {
        opportunityId,
        name,
        accountId,
        ownerId,
        pipelineId,
        stageId,
        contactRoles: contactRoles[opportunityId] ?? [],
        amount: { amountMinor, currency },
        expectedCloseDate,
        occurredAt: openedAt,
      });
    }
    await mutate('changeOpportunityStage', { opportunityId: 'opp-02', stageId: 'proposal', occurredAt: '2024-04-01T09:00:00Z' });
    await mutate('closeOpportunityWon', {
      opportunityId: 'opp-03',
      wonAmount: { amountMinor: 280_000, currency: 'EUR' },
      occurredAt: '2024-05-10T12:00:00Z',
    });
    await mutate('closeOpportunityLost', { opportunityId: 'opp-04', reason: 'PRICE', note: 'Went with a cheaper tool', occurredAt: '2024-06-01T12:00:00Z' });
    await mutate('closeOpportunityWon', {
      opportunityId: 'opp-05',
      wonAmount: { amountMinor: 450_000, currency: 'EUR' },
      occurredAt: '2024-06-20T08:00:00Z',
    });
  });

  afterAll(async () => {
    await testApi?.close();
  });

  describe('opportunity', () => {
    it('answers a deal with its account, buying committee and stage history', async () => {
      const response = await send(
        `query ($id: ID!, $minPosition: PositionInput) {
          opportunity(id: $id, minPosition: $minPosition) {
            id name ownerId pipelineId stageId status expectedCloseDate openedAt closedAt lossReason lossNote
            amount { amountMinor currency } wonAmount { amountMinor currency }
            account { id name domain }
            contacts { contactId role contact { id firstName lastName email } }
            stageHistory { stageId pipelineId entry enteredAt exitedAt exit durationSeconds }
          }
        }`,
        { id: 'opp-02', minPosition: written },
      );

      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({
        opportunity: {
          id: 'opp-02',
          name: 'Acme Billing',
          ownerId: 'rep-ann',
          pipelineId: 'enterprise',
          stageId: 'proposal',
          status: 'OPEN',
          expectedCloseDate: '2024-08-31',
          openedAt: '2024-03-02T09:00:00.000Z',
          closedAt: null,
          lossReason: null,
          lossNote: null,
          amount: { amountMinor: 450_000, currency: 'EUR' },
          wonAmount: null,
          account: { id: 'acme', name: 'Acme Corp', domain: 'acme-corp.com' },
          contacts: [
            {
              contactId: contactIds.bob,
              role: 'EVALUATOR',
              contact: { id: contactIds.bob, firstName: 'Bob', lastName: 'Baker', email: 'bob@acme-corp.com' },
            },
          ],
          stageHistory: [
            {
              stageId: 'demo',
              pipelineId: 'enterprise',
              entry: 'OPENED',
              enteredAt: '2024-03-02T09:00:00.000Z',
              exitedAt: '2024-04-01T09:00:00.000Z',
              exit: 'STAGE_CHANGE',
              durationSeconds: 2_592_000,
            },
            {
              stageId: 'proposal',
              pipelineId: 'enterprise',
              entry: 'STAGE_CHANGE',
              enteredAt: '2024-04-01T09:00:00.000Z',
              exitedAt: null,
              exit: null,
              durationSeconds: null,
            },
          ],
        },
      });
    });

    it('answers how closed deals ended', async () => {
      const response = await send<{ won: unknown; lost: unknown }>(
        `query ($minPosition: PositionInput) {
          won: opportunity(id: "opp-03", minPosition: $minPosition) { status closedAt wonAmount { amountMinor currency } stageHistory { stageId exit } }
          lost: opportunity(id: "opp-04", minPosition: $minPosition) { status closedAt lossReason lossNote wonAmount { amountMinor } }
        }`,
        { minPosition: written },
      );

      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({
        won: {
          status: 'WON',
          closedAt: '2024-05-10T12:00:00.000Z',
          wonAmount: { amountMinor: 280_000, currency: 'EUR' },
          stageHistory: [{ stageId: 'proposal', exit: 'WON' }],
        },
        lost: { status: 'LOST', closedAt: '2024-06-01T12:00:00.000Z', lossReason: 'PRICE', lossNote: 'Went with a cheaper tool', wonAmount: null },
      });
    });

    it('answers null for an id no deal has', async () => {
      const response = await send('{ opportunity(id: "opp-missing") { id } }');

      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ opportunity: null });
    });
  });

  describe('opportunities', () => {
    const asOpened = { field: 'OPENED_AT', direction: 'ASC' };

    it('lists every deal newest first by default, with the total', async () => {
      const result = await page({});

      expect(idsOf(result)).toEqual(['opp-12', 'opp-11', 'opp-10', 'opp-09', 'opp-08', 'opp-07', 'opp-06', 'opp-05', 'opp-04', 'opp-03', 'opp-02', 'opp-01']);
      expect(result.totalCount).toBe(12);
      expect(result.pageInfo).toEqual({ hasNextPage: false, endCursor: result.edges[11].cursor });
    });

    it.each([
      ['a pipeline', { pipelineId: 'smb' }, ['opp-11', 'opp-12']],
      ['a stage', { stageId: 'proposal' }, ['opp-02', 'opp-03', 'opp-06', 'opp-09', 'opp-12']],
      ['an owner', { ownerId: 'rep-bo' }, ['opp-03', 'opp-04', 'opp-07', 'opp-11']],
      ['won deals', { status: ['WON'] }, ['opp-03', 'opp-05']],
      ['closed deals', { status: ['WON', 'LOST'] }, ['opp-03', 'opp-04', 'opp-05']],
      ['an owner\'s open deals', { ownerId: 'rep-ann', status: ['OPEN'] }, ['opp-01', 'opp-02', 'opp-06', 'opp-09', 'opp-12']],
      ['expected close days, both included', { expectedCloseDate: { from: '2024-07-01', to: '2024-07-15' } }, ['opp-01', 'opp-05', 'opp-10']],
      ['an open-ended close day range', { expectedCloseDate: { from: '2024-11-30' } }, ['opp-08', 'opp-09']],
      ['closing instants, the end excluded', { closedAt: { from: '2024-06-01T12:00:00Z', to: '2024-06-20T08:00:00Z' } }, ['opp-04']],
      ['an amount range in a currency', { amount: { currency: 'EUR', minMinor: 120_000, maxMinor: 300_000 } }, ['opp-01', 'opp-03', 'opp-08', 'opp-09']],
      ['a currency alone', { amount: { currency: 'USD' } }, ['opp-06', 'opp-07']],
    ])('filters by %s', async (_, filter, expected) => {
      const result = await page({ filter, orderBy: asOpened });

      expect(idsOf(result)).toEqual(expected);
      expect(result.totalCount).toBe(expected.length);
    });

    it.each([
      ['OPENED_AT', ['opp-01', 'opp-02', 'opp-03', 'opp-04', 'opp-05', 'opp-06', 'opp-07', 'opp-08', 'opp-09', 'opp-10', 'opp-11', 'opp-12']],
      ['EXPECTED_CLOSE_DATE', ['opp-11', 'opp-12', 'opp-03', 'opp-10', 'opp-01', 'opp-05', 'opp-02', 'opp-07', 'opp-04', 'opp-06', 'opp-08', 'opp-09']],
      ['AMOUNT', ['opp-11', 'opp-10', 'opp-12', 'opp-07', 'opp-04', 'opp-01', 'opp-09', 'opp-08', 'opp-03', 'opp-02', 'opp-05', 'opp-06']],
      ['NAME', ['opp-01', 'opp-02', 'opp-03', 'opp-04', 'opp-08', 'opp-07', 'opp-05', 'opp-06', 'opp-09', 'opp-10', 'opp-12', 'opp-11']],
    ])('orders by %s ascending and descending, ties by id', async (field, ascending) => {
      expect(idsOf(await page({ orderBy: { field, direction: 'ASC' } }))).toEqual(ascending);
      expect(idsOf(await page({ orderBy: { field, direction: 'DESC' } }))).toEqual([...ascending].reverse());
    });

    it.each([
      ['AMOUNT', 'DESC'],
      ['NAME', 'ASC'],
      ['EXPECTED_CLOSE_DATE', 'ASC'],
      ['OPENED_AT', 'DESC'],
    ])('pages through every deal exactly once by %s %s', async (field, direction) => {
      const orderBy = { field, direction };
      const everything = idsOf(await page({ orderBy }));
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const result: Page = await page({ orderBy, first: 5, after });
        seen.push(...idsOf(result));
        pages += 1;
        expect(result.totalCount).toBe(12);
        if (!result.pageInfo.hasNextPage) break;
        after = result.pageInfo.endCursor;
      }

      expect(pages).toBe(3);
      expect(seen).toEqual(everything);
    });

    it('answers an empty last page after the last deal', async () => {
      const last = await page({ orderBy: asOpened, first: 12 });
      const after = await page({ orderBy: asOpened, first: 12, after: last.pageInfo.endCursor });

      expect(after).toEqual({ totalCount: 12, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] });
    });

    it("reads one owner's page of a pipeline over several statuses in its order from an index, sorting nothing", async () => {
      const filter = { pipelineId: 'enterprise', ownerId: 'rep-ann', status: ['OPEN', 'WON', 'LOST'] };
      const { answer: result, calls } = await readStoreStatementsDuring(api, () => page({ filter, first: 3 }));
      expect(idsOf(result)).toEqual(['opp-09', 'opp-06', 'opp-02']);
      expect(result.totalCount).toBe(4);

      // However few rows the test has, with sorting, bitmaps and whole-table reads priced out
      // the planner sorts only if no index gives the page's order.
      const [pageSql, parameters] = calls.find(([sql]) => sql.includes('ORDER BY'))!;
      const runner = api.app.get(DataSource).createQueryRunner();
      try {
        await runner.startTransaction();
        for (const setting of ['enable_sort', 'enable_incremental_sort', 'enable_bitmapscan', 'enable_seqscan']) await runner.query(`SET LOCAL ${setting} = off`);
        const [{ 'QUERY PLAN': plan }] = (await runner.query(`EXPLAIN (FORMAT JSON) ${pageSql}`, parameters as unknown[])) as { 'QUERY PLAN': unknown }[];
        const nodes = [...JSON.stringify(plan).matchAll(/"Node Type":\s*"([^"]+)"/g)].map(([, type]) => type);
        expect(nodes).toEqual(['Limit', 'Index Scan']);
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    });

    describe('refuses', () => {
      async function refusal(variables: Record<string, unknown>) {
        const response: GraphqlResponse<unknown> = await send(pageQuery, variables);
        expect(response.errors).toHaveLength(1);
        return response.errors![0].extensions;
      }

      it('a cursor it did not make, naming after', async () => {
        expect(await refusal({ after: 'bm90LWEtY3Vyc29y' })).toEqual({
          code: 'BAD_USER_INPUT',
          fieldErrors: [{ field: 'after', message: 'after is not a cursor this api returned' }],
        });
      });

      it('a cursor made for another order, naming after', async () => {
        const byAmount = await page({ orderBy: { field: 'AMOUNT', direction: 'DESC' }, first: 2 });

        expect(await refusal({ orderBy: { field: 'NAME', direction: 'ASC' }, after: byAmount.pageInfo.endCursor })).toEqual({
          code: 'BAD_USER_INPUT',
          fieldErrors: [{ field: 'after', message: 'after was returned for the order AMOUNT DESC, not for NAME ASC' }],
        });
      });

      it.each([0, 501])('a page size of %i', async (first) => {
        expect(await refusal({ first })).toEqual({
          code: 'BAD_USER_INPUT',
          fieldErrors: [{ field: 'first', message: expect.stringMatching(/^first must not be (less than 1|greater than 500)$/) }],
        });
      });

      it('a minimum amount above the maximum', async () => {
        expect(await refusal({ filter: { amount: { currency: 'EUR', minMinor: 2, maxMinor: 1 } } })).toEqual({
          code: 'BAD_USER_INPUT',
          fieldErrors: [{ field: 'filter.amount.minMinor', message: 'amount.minMinor must not be above amount.maxMinor' }],
        });
      });
    });
  });

  describe('nested relations', () => {
    const nestedPage = `
      query ($first: Int!) {
        opportunities(first: $first, orderBy: { field: OPENED_AT, direction: ASC }) {
          edges { node { id account { name } contacts { role contact { firstName } } stageHistory { stageId } } }
        }
      }`;

    /** The SQL statements the api's read store ran while answering one request. */
    async function statementsFor(first: number): Promise<{ statements: string[]; response: GraphqlResponse<unknown> }> {
      const { answer, calls } = await readStoreStatementsDuring(api, () => send(nestedPage, { first }));
      return { statements: calls.map(([sql]) => sql), response: answer };
    }

    it('loads a page with accounts, contacts and stage history in the same few statements, whatever its size', async () => {
      await page({});
      const small = await statementsFor(3);
      const large = await statementsFor(11);

      expect(small.response.errors).toBeUndefined();
      expect(large.response.errors).toBeUndefined();
      expect((large.response.data as { opportunities: { edges: unknown[] } }).opportunities.edges).toHaveLength(11);
      // The page, its count, then one batch each for accounts, contacts and stage history.
      expect(small.statements).toHaveLength(5);
      expect(large.statements).toHaveLength(5);
    });

    /**
     * Until every read model the page reads has its checkpoint at the end of the log. One that
     * stops short of it moves there once it has been idle a while (over events it does not
     * consume), and an answer is kept per checkpoint.
     */
    async function standingStill(names: readonly string[]): Promise<void> {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const response = await send<{ projections: { name: string; serving: boolean; checkpoint: { commit: string } | null; head: { commit: string } | null }[] }>(
          '{ projections { name serving checkpoint { commit } head { commit } } }',
        );
        const serving = (response.data?.projections ?? []).filter((projection) => projection.serving && names.includes(projection.name));
        const still = serving.length === names.length && serving.every((p) => p.head !== null && p.checkpoint?.commit === p.head.commit);
        if (still) return;
        if (Date.now() > deadline) throw new Error(`read models never reached the end of the log: ${JSON.stringify(response.data ?? response.errors)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }

    it('answers the same page again from the answer kept for it while the read models stand still', async () => {
      await standingStill(['opportunities', 'accounts', 'contacts']);
      const first = await statementsFor(7);
      const again = await statementsFor(7);

      expect(again.response).toEqual(first.response);
      expect(first.statements.filter((sql) => sql.includes('"opportunities"'))).toHaveLength(2);
      // Only the nested relations are loaded again: the page and its count are the kept answer.
      expect(again.statements).toHaveLength(3);
      const page = `"${schemaNameOf(OPPORTUNITIES_PROJECTION, opportunitiesProjection.version)}"."opportunities"`;
      expect(first.statements.filter((sql) => sql.includes(page))).toHaveLength(2);
      expect(again.statements.filter((sql) => sql.includes(page))).toEqual([]);
    });

    it('resolves every nested field of every deal on the page', async () => {
      const response = await send<{ opportunities: { edges: { node: unknown }[] } }>(nestedPage, { first: 3 });

      expect(response.errors).toBeUndefined();
      expect(response.data!.opportunities.edges.map((edge) => edge.node)).toEqual([
        {
          id: 'opp-01',
          account: { name: 'Acme Corp' },
          contacts: [
            { role: 'DECISION_MAKER', contact: { firstName: 'Ann' } },
            { role: 'CHAMPION', contact: { firstName: 'Bob' } },
          ],
          stageHistory: [{ stageId: 'discovery' }],
        },
        {
          id: 'opp-02',
          account: { name: 'Acme Corp' },
          contacts: [{ role: 'EVALUATOR', contact: { firstName: 'Bob' } }],
          stageHistory: [{ stageId: 'demo' }, { stageId: 'proposal' }],
        },
        {
          id: 'opp-03',
          account: { name: 'Globex' },
          contacts: [{ role: 'ECONOMIC_BUYER', contact: { firstName: 'Carla' } }],
          stageHistory: [{ stageId: 'proposal' }],
        },
      ]);
    });
  });

  // Last: it adds deals the tests above do not expect.
  describe('a cursor taken before new deals arrive', () => {
    it('reads on after the same deal, without repeats or gaps', async () => {
      const orderBy = { field: 'AMOUNT', direction: 'DESC' };
      const filter = { pipelineId: 'smb' };
      const first = await page({ filter, orderBy, first: 1 });
      expect(idsOf(first)).toEqual(['opp-12']);

      // One sorts before the cursor, one after it.
      for (const [opportunityId, amountMinor] of [
        ['opp-13', 90_000],
        ['opp-14', 20_000],
      ] as const) {
        await mutate('openOpportunity', {
          opportunityId,
          name: `Vandelay ${opportunityId}`,
          accountId: 'vandelay',
          ownerId: 'rep-bo',
          pipelineId: 'smb',
          stageId: 'discovery',
          amount: { amountMinor, currency: 'EUR' },
          expectedCloseDate: '2024-09-30',
          occurredAt: '2024-03-20T09:00:00Z',
        });
      }
      const rest = await page({ filter, orderBy, first: 10, after: first.pageInfo.endCursor });

      expect(idsOf(rest)).toEqual(['opp-14', 'opp-11']);
      expect(rest.totalCount).toBe(4);
      // The first page asked again counts the new deals: its kept answer was for the read model before them.
      const again = await page({ filter, orderBy, first: 1 });
      expect(first.totalCount).toBe(2);
      expect(again.totalCount).toBe(4);
    });
  });
});
