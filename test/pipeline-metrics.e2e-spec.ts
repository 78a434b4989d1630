import { graphqlClient, type GraphqlResponse, runMutation } from './support/graphql-client';
import { startTestApi, type TestApi } from './support/api';
import { readStoreStatementsDuring } from './support/read-store-statements';

// Starting the stores (a first embedded PostgreSQL start initialises a cluster) takes seconds.
jest.setTimeout(120_000);

type Position = { commit: string; prepare: string };

const PIPELINE = 'new-business';

/** 09:00 UTC on a day of 2024 (`02-10`), unless a time is given. */
const on = (day: string, time = '09:00:00') => `2024-${day}T${time}.000Z`;

const stages = (proposalProbability: number) => [
  { stageId: 'discovery', name: 'Discovery', order: 10, winProbability: 10 },
  { stageId: 'demo', name: 'Demo', order: 20, winProbability: 30 },
  { stageId: 'proposal', name: 'Proposal', order: 30, winProbability: proposalProbability },
  { stageId: 'negotiation', name: 'Negotiation', order: 40, winProbability: 80 },
];

const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });

const PIPELINE_FIELDS = `pipelineId name asOf revision revisionEffectiveAt
  stages { stageId name order winProbability retired count amounts { currency count amountMinor weightedAmountMinor } }
  totals { count amounts { currency count amountMinor weightedAmountMinor } }`;

const METRICS_FIELDS = `from to won lost winRate openCount
  averageDealSize { currency wonCount wonAmountMinor averageDealSizeMinor }
  salesCycle { wonCount meanDays medianDays }
  stageConversion { pipelineId revision cohortCount stages { stageId reached } steps { fromStageId toStageId fromReached converted rate } }
  velocity { currency openCount minorPerDay }
  weightedPipeline { currency count amountMinor weightedAmountMinor }`;

/** A stage row as the pipeline query answers it. */
const stage = (stageId: string, winProbability: number, amounts: Array<[string, number, number, number]> = []) => ({
  stageId,
  name: stageId[0].toUpperCase() + stageId.slice(1),
  order: { discovery: 10, demo: 20, proposal: 30, negotiation: 40 }[stageId],
  winProbability,
  retired: false,
  count: amounts.reduce((total, [, count]) => total + count, 0),
  amounts: amounts.map(([currency, count, amountMinor, weightedAmountMinor]) => ({ currency, count, amountMinor, weightedAmountMinor })),
});

/*
 * The scenario, in business time (all at 09:00 UTC unless noted). Pipeline "new-business" is
 * defined on 01-01 with discovery 10 %, demo 30 %, proposal 60 %, negotiation 80 %; revision 2
 * takes effect on 03-01 and lowers proposal to 50 %.
 *
 *   A ann  opened 01-10 discovery 100,000 EUR; demo 01-20; proposal 02-01; amount 120,000 on 02-05;
 *          won 02-20 21:00 for 118,000 EUR
 *   B ann  opened 01-15 discovery 50,000 EUR; demo 02-10; lost 03-05
 *   C bob  opened 02-01 demo 80,000 EUR; negotiation 02-15; then, recorded after that move but
 *          BACKDATED to 02-08, proposal; won 03-20 for 82,000 EUR
 *   D bob  opened 02-20 discovery 40,005 USD; demo 03-10
 *   E ann  opened 01-05 proposal 200,000 EUR; won 02-25 for 200,000 EUR; REOPENED 03-10 into
 *          proposal; amount 210,000 on 03-16; negotiation 03-18
 *   F ann  opened 03-05 discovery 30,000 EUR; lost 03-25
 *   G bob  opened 02-05 negotiation 10,001 EUR; won 02-07 for 10,001 EUR
 */
describe('Pipeline and sales metrics over GraphQL', () => {
  let testApi: TestApi;
  let send: ReturnType<typeof graphqlClient>;
  let lastWrite: Position;

  async function write(name: string, input: Record<string, unknown>): Promise<void> {
    lastWrite = (await runMutation(send, name, input)).position;
  }

  const open = (opportunityId: string, ownerId: string, stageId: string, amount: object, occurredAt: string) =>
    write('openOpportunity', {
      opportunityId,
      name: `Deal ${opportunityId}`,
      accountId: 'acme',
      pipelineId: PIPELINE,
      stageId,
      amount,
      expectedCloseDate: '2024-06-30',
      ownerId,
      occurredAt,
    });
  const move = (opportunityId: string, stageId: string, occurredAt: string) =>
    write('changeOpportunityStage', { opportunityId, stageId, occurredAt });
  const changeAmount = (opportunityId: string, amount: object, occurredAt: string) =>
    write('changeOpportunityAmount', { opportunityId, amount, occurredAt });
  const win = (opportunityId: string, wonAmount: object, occurredAt: string) =>
    write('closeOpportunityWon', { opportunityId, wonAmount, occurredAt });
  const lose = (opportunityId: string, occurredAt: string) =>
    write('closeOpportunityLost', { opportunityId, reason: 'PRICE', occurredAt });

  beforeAll(async () => {
    testApi = await startTestApi('pipeline-metrics');
    ({ send } = testApi);

    await write('definePipeline', { pipelineId: PIPELINE, name: 'New business', stages: stages(60), occurredAt: on('01-01', '00:00:00') });
    await write('createAccount', { accountId: 'acme', name: 'Acme', domain: 'acme.example', occurredAt: on('01-01', '00:00:00') });
    await open('E', 'ann', 'proposal', eur(200_000), on('01-05'));
    await open('A', 'ann', 'discovery', eur(100_000), on('01-10'));
    await open('B', 'ann', 'discovery', eur(50_000), on('01-15'));
    await move('A', 'demo', on('01-20'));
    await move('A', 'proposal', on('02-01'));
    await open('C', 'bob', 'demo', eur(80_000), on('02-01'));
    await changeAmount('A', eur(120_000), on('02-05'));
    await open('G', 'bob', 'negotiation', eur(10_001), on('02-05'));
    await win('G', eur(10_001), on('02-07'));
    await move('B', 'demo', on('02-10'));
    await move('C', 'negotiation', on('02-15'));
    // Entered late in the CRM: C went through proposal on 02-08, before the move recorded above.
    await move('C', 'proposal', on('02-08'));
    await win('A', eur(118_000), on('02-20', '21:00:00'));
    await open('D', 'bob', 'discovery', usd(40_005), on('02-20'));
    await win('E', eur(200_000), on('02-25'));
    await write('revisePipelineStages', { pipelineId: PIPELINE, stages: stages(50), occurredAt: on('03-01', '00:00:00') });
    await lose('B', on('03-05'));
    await open('F', 'ann', 'discovery', eur(30_000), on('03-05'));
    await move('D', 'demo', on('03-10'));
    await write('reopenOpportunity', { opportunityId: 'E', stageId: 'proposal', reason: 'budget found', occurredAt: on('03-10') });
    await changeAmount('E', eur(210_000), on('03-16'));
    await move('E', 'negotiation', on('03-18'));
    await win('C', eur(82_000), on('03-20'));
    await lose('F', on('03-25'));
  });

  afterAll(async () => {
    await testApi?.close();
  });

  async function pipeline(args: { pipelineId?: string; asOf?: string; ownerId?: string } = {}) {
    const response = await send<{ pipeline: Record<string, unknown> | null }>(
      `query ($pipelineId: ID!, $asOf: String, $ownerId: String, $minPosition: PositionInput) {
         pipeline(pipelineId: $pipelineId, asOf: $asOf, ownerId: $ownerId, minPosition: $minPosition) { ${PIPELINE_FIELDS} }
       }`,
      { pipelineId: PIPELINE, ...args, minPosition: lastWrite },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.pipeline;
  }

  function salesMetrics(args: { from: string; to: string; ownerId?: string; pipelineId?: string }) {
    return send<{ salesMetrics: Record<string, unknown> }>(
      `query ($from: String!, $to: String!, $ownerId: String, $pipelineId: String, $minPosition: PositionInput) {
         salesMetrics(from: $from, to: $to, ownerId: $ownerId, pipelineId: $pipelineId, minPosition: $minPosition) { ${METRICS_FIELDS} }
       }`,
      { ...args, minPosition: lastWrite },
    );
  }

  async function metrics(args: { from: string; to: string; ownerId?: string; pipelineId?: string }) {
    const response = await salesMetrics(args);
    expect(response.errors).toBeUndefined();
    return response.data!.salesMetrics;
  }

  describe('pipeline', () => {
    it('answers now with the open deals, their current amounts and the probabilities of the latest revision', async () => {
      // Open now: D in demo (40,005 USD), E in negotiation (210,000 EUR); A, C won, B, F lost.
      expect(await pipeline()).toMatchObject({
        pipelineId: PIPELINE,
        name: 'New business',
        revision: 2,
        revisionEffectiveAt: on('03-01', '00:00:00'),
        stages: [
          stage('discovery', 10),
          // 40,005 × 30 % = 12,001.5 → 12,002 (half up)
          stage('demo', 30, [['USD', 1, 40_005, 12_002]]),
          stage('proposal', 50),
          // 210,000 × 80 % = 168,000
          stage('negotiation', 80, [['EUR', 1, 210_000, 168_000]]),
        ],
        totals: {
          count: 2,
          amounts: [
            { currency: 'EUR', count: 1, amountMinor: 210_000, weightedAmountMinor: 168_000 },
            { currency: 'USD', count: 1, amountMinor: 40_005, weightedAmountMinor: 12_002 },
          ],
        },
      });
    });

    it('answers 10 February from history: revision 1, amounts then, the backdated stage, deals since closed', async () => {
      // At 02-10 12:00: B in demo (moved 09:00); A in proposal at 120,000 (changed 02-05, won only
      // 02-20); C in proposal (backdated 02-08, negotiation only 02-15); E in proposal (won 02-25);
      // G already won (02-07); D and F not opened yet.
      expect(await pipeline({ asOf: '2024-02-10T12:00:00Z' })).toEqual({
        pipelineId: PIPELINE,
        name: 'New business',
        asOf: on('02-10', '12:00:00'),
        revision: 1,
        revisionEffectiveAt: on('01-01', '00:00:00'),
        stages: [
          stage('discovery', 10),
          // 50,000 × 30 % = 15,000
          stage('demo', 30, [['EUR', 1, 50_000, 15_000]]),
          // A 120,000 + C 80,000 + E 200,000 = 400,000; × 60 % = 240,000
          stage('proposal', 60, [['EUR', 3, 400_000, 240_000]]),
          stage('negotiation', 80),
        ],
        // 50,000 + 400,000 = 450,000; 15,000 + 240,000 = 255,000
        totals: { count: 4, amounts: [{ currency: 'EUR', count: 4, amountMinor: 450_000, weightedAmountMinor: 255_000 }] },
      });
    });

    it('answers 12 March with revision 2 and a won deal not yet reopened', async () => {
      // At 03-12: F in discovery (opened 03-05); D in demo (03-10); E reopened into proposal on
      // 03-10 at its amount then, 200,000 (210,000 only from 03-16); C in negotiation (won 03-20);
      // A won, B lost (03-05).
      expect(await pipeline({ asOf: '2024-03-12T00:00:00Z' })).toMatchObject({
        revision: 2,
        stages: [
          // 30,000 × 10 % = 3,000
          stage('discovery', 10, [['EUR', 1, 30_000, 3_000]]),
          stage('demo', 30, [['USD', 1, 40_005, 12_002]]),
          // 200,000 × 50 % (revision 2, not 60 %) = 100,000
          stage('proposal', 50, [['EUR', 1, 200_000, 100_000]]),
          // 80,000 × 80 % = 64,000
          stage('negotiation', 80, [['EUR', 1, 80_000, 64_000]]),
        ],
        totals: {
          count: 4,
          amounts: [
            // 30,000 + 200,000 + 80,000 = 310,000; 3,000 + 100,000 + 64,000 = 167,000
            { currency: 'EUR', count: 3, amountMinor: 310_000, weightedAmountMinor: 167_000 },
            { currency: 'USD', count: 1, amountMinor: 40_005, weightedAmountMinor: 12_002 },
          ],
        },
      });
    });

    it("counts only one owner's deals when asked", async () => {
      // ann at 02-10 12:00: B in demo 50,000; A 120,000 + E 200,000 = 320,000 in proposal, × 60 % = 192,000
      expect(await pipeline({ asOf: '2024-02-10T12:00:00Z', ownerId: 'ann' })).toMatchObject({
        stages: [
          stage('discovery', 10),
          stage('demo', 30, [['EUR', 1, 50_000, 15_000]]),
          stage('proposal', 60, [['EUR', 2, 320_000, 192_000]]),
          stage('negotiation', 80),
        ],
        // 50,000 + 320,000 = 370,000; 15,000 + 192,000 = 207,000
        totals: { count: 3, amounts: [{ currency: 'EUR', count: 3, amountMinor: 370_000, weightedAmountMinor: 207_000 }] },
      });
    });

    it('is null for a pipeline that does not exist, or did not exist yet at asOf', async () => {
      expect(await pipeline({ pipelineId: 'no-such-pipeline' })).toBeNull();
      expect(await pipeline({ asOf: '2023-12-31T00:00:00Z' })).toBeNull();
    });
  });

  describe('salesMetrics', () => {
    it('reports February and March as of 31 March', async () => {
      // Closed in [02-01, 04-01) by the state at the end of March: won A (118,000), C (82,000), G (10,001);
      // lost B, F. E was won on 02-25 but is open again by then, so it counts as neither.
      expect(await metrics({ from: '2024-02-01T00:00:00Z', to: '2024-04-01T00:00:00Z' })).toEqual({
        from: '2024-02-01T00:00:00.000Z',
        to: '2024-04-01T00:00:00.000Z',
        won: 3,
        lost: 2,
        // 3 / (3 + 2)
        winRate: 0.6,
        // 118,000 + 82,000 + 10,001 = 210,001; / 3 = 70,000.33 → 70,000
        averageDealSize: [{ currency: 'EUR', wonCount: 3, wonAmountMinor: 210_001, averageDealSizeMinor: 70_000 }],
        // A 01-10 09:00 → 02-20 21:00 = 41.5 days; C 02-01 → 03-20 = 48 days (29 in February 2024);
        // G 02-05 → 02-07 = 2 days. Mean (41.5 + 48 + 2) / 3 = 30.5; median 41.5.
        salesCycle: { wonCount: 3, meanDays: 30.5, medianDays: 41.5 },
        // Open at the end: D (USD, demo) and E (EUR, negotiation).
        openCount: 2,
        stageConversion: [
          {
            pipelineId: PIPELINE,
            revision: 2,
            // Opened in the period: C, D, F, G. Reached by the end: C demo, proposal (backdated),
            // negotiation; D discovery, demo; F discovery; G negotiation.
            cohortCount: 4,
            stages: [
              { stageId: 'discovery', reached: 2 },
              { stageId: 'demo', reached: 2 },
              { stageId: 'proposal', reached: 1 },
              { stageId: 'negotiation', reached: 2 },
            ],
            steps: [
              // of D, F only D reached demo
              { fromStageId: 'discovery', toStageId: 'demo', fromReached: 2, converted: 1, rate: 0.5 },
              // of C, D only C reached proposal
              { fromStageId: 'demo', toStageId: 'proposal', fromReached: 2, converted: 1, rate: 0.5 },
              { fromStageId: 'proposal', toStageId: 'negotiation', fromReached: 1, converted: 1, rate: 1 },
            ],
          },
        ],
        velocity: [
          // 1 open × 0.6 × 70,000.33 / 30.5 = 42,000.2 / 30.5 = 1,377.06 → 1,377 per day
          { currency: 'EUR', openCount: 1, minorPerDay: 1_377 },
          // nothing was won in USD: no average deal size, so no velocity
          { currency: 'USD', openCount: 1, minorPerDay: null },
        ],
        // As pipeline now: E 210,000 × 80 %; D 40,005 × 30 % = 12,001.5 → 12,002
        weightedPipeline: [
          { currency: 'EUR', count: 1, amountMinor: 210_000, weightedAmountMinor: 168_000 },
          { currency: 'USD', count: 1, amountMinor: 40_005, weightedAmountMinor: 12_002 },
        ],
      });
    });

    it('counts a deal won in the period and reopened only after it as won', async () => {
      // February, as of its end: won G (10,001, 2 days), A (118,000, 41.5 days), E (200,000,
      // 01-05 → 02-25 = 51 days); nothing lost yet (B lost 03-05).
      expect(await metrics({ from: '2024-02-01T00:00:00Z', to: '2024-03-01T00:00:00Z' })).toMatchObject({
        won: 3,
        lost: 0,
        winRate: 1,
        // 10,001 + 118,000 + 200,000 = 328,001; / 3 = 109,333.67 → 109,334
        averageDealSize: [{ currency: 'EUR', wonCount: 3, wonAmountMinor: 328_001, averageDealSizeMinor: 109_334 }],
        // mean (2 + 41.5 + 51) / 3 = 31.5; median 41.5
        salesCycle: { wonCount: 3, meanDays: 31.5, medianDays: 41.5 },
        // open at the end of February: B demo, C negotiation, D discovery
        openCount: 3,
      });
    });

    it("reports one owner's deals", async () => {
      // bob: won C (82,000, 48 days) and G (10,001, 2 days), lost none; open at the end: D (USD).
      expect(await metrics({ from: '2024-02-01T00:00:00Z', to: '2024-04-01T00:00:00Z', ownerId: 'bob' })).toMatchObject({
        won: 2,
        lost: 0,
        winRate: 1,
        // 92,001 / 2 = 46,000.5 → 46,001 (half up)
        averageDealSize: [{ currency: 'EUR', wonCount: 2, wonAmountMinor: 92_001, averageDealSizeMinor: 46_001 }],
        // (48 + 2) / 2 = 25, and the median of two is their mean
        salesCycle: { wonCount: 2, meanDays: 25, medianDays: 25 },
        openCount: 1,
        velocity: [
          // no EUR deal open: 0 × 1 × 46,000.5 / 25 = 0
          { currency: 'EUR', openCount: 0, minorPerDay: 0 },
          { currency: 'USD', openCount: 1, minorPerDay: null },
        ],
        weightedPipeline: [{ currency: 'USD', count: 1, amountMinor: 40_005, weightedAmountMinor: 12_002 }],
      });
    });

    it('answers a period with no closes with null ratios, not zeros', async () => {
      expect(await metrics({ from: '2023-01-01T00:00:00Z', to: '2024-01-01T00:00:00Z', pipelineId: PIPELINE })).toMatchObject({
        won: 0,
        lost: 0,
        winRate: null,
        averageDealSize: [],
        salesCycle: { wonCount: 0, meanDays: null, medianDays: null },
        openCount: 0,
        stageConversion: [],
        velocity: [],
        weightedPipeline: [],
      });
    });

    it.each([
      ['after', '2024-04-01T00:00:00Z'],
      ['at', '2024-03-01T00:00:00Z'],
    ])('refuses a period whose start is %s its end, naming the field', async (_case, from) => {
      const response: GraphqlResponse<unknown> = await salesMetrics({ from, to: '2024-03-01T00:00:00Z' });

      expect(response.errors).toHaveLength(1);
      expect(response.errors![0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fieldErrors: [{ field: 'from', message: 'from must be before to' }],
      });
    });

    it("reads the cohort's stays only for an answer that asks for stage conversion", async () => {
      // A period no other test asks for: its answers are not kept yet.
      const args = { from: '2024-01-15T00:00:00Z', to: '2024-03-15T00:00:00Z', minPosition: lastWrite };
      const statementsFor = async (fields: string) => {
        const { answer: response, calls } = await readStoreStatementsDuring(testApi.api, () =>
          send<{ salesMetrics: Record<string, unknown> }>(
            `query ($from: String!, $to: String!, $minPosition: PositionInput) { salesMetrics(from: $from, to: $to, minPosition: $minPosition) { ${fields} } }`,
            args,
          ),
        );
        expect(response.errors).toBeUndefined();
        return { answer: response.data!.salesMetrics, statements: calls.map(([sql]) => sql) };
      };
      const readsStays = (sql: string) => sql.includes('"opportunity_stage_history"');

      const figures = await statementsFor('won lost');
      const withConversion = await statementsFor('won lost stageConversion { pipelineId cohortCount }');

      // As of 03-14: won G 02-07 and A 02-20 (E, won 02-25, was reopened 03-10); lost B 03-05.
      // Cohort: B, C, G, D and F, opened from 01-15 on.
      expect(figures.answer).toEqual({ won: 2, lost: 1 });
      expect(withConversion.answer).toEqual({ won: 2, lost: 1, stageConversion: [{ pipelineId: PIPELINE, cohortCount: 5 }] });
      expect(figures.statements.length).toBeGreaterThan(0);
      expect(figures.statements.filter(readsStays)).toEqual([]);
      // The figures were kept; the stage conversion reads the stays once.
      expect(withConversion.statements.filter(readsStays)).toHaveLength(1);
    });

    it('refuses a period bound that is not a UTC timestamp, naming the field', async () => {
      const response: GraphqlResponse<unknown> = await salesMetrics({ from: '2024-02-01', to: '2024-03-01T00:00:00Z' });

      expect(response.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: [{ field: 'from' }] });
    });
  });

  // Written after every test above has read the scenario, into a pipeline of its own.
  describe('salesMetrics of a win whose figure a later win replaces', () => {
    const RENEWALS = 'renewals';

    beforeAll(async () => {
      // H: opened 03-01, won 03-05 for 50,000 EUR; a reopening dated 03-25 is recorded, then
      // a win BACKDATED to 03-15 for 65,000 EUR. In business time the deal was won on 03-05,
      // its won figure became 65,000 on 03-15, and it was reopened on 03-25: one close.
      await write('definePipeline', { pipelineId: RENEWALS, name: 'Renewals', stages: stages(60), occurredAt: on('01-01', '00:00:00') });
      await write('openOpportunity', {
        opportunityId: 'H',
        name: 'Deal H',
        accountId: 'acme',
        pipelineId: RENEWALS,
        stageId: 'proposal',
        amount: eur(50_000),
        expectedCloseDate: '2024-06-30',
        ownerId: 'cat',
        occurredAt: on('03-01'),
      });
      await win('H', eur(50_000), on('03-05'));
      await write('reopenOpportunity', { opportunityId: 'H', stageId: 'proposal', reason: 'scope grew', occurredAt: on('03-25') });
      await win('H', eur(65_000), on('03-15'));
    });

    it.each([
      ['before the later figure took effect, with the figure of the close', '2024-03-10T00:00:00Z', 50_000],
      ['after it, with the later figure', '2024-03-20T00:00:00Z', 65_000],
    ])('counts the win in a period ending %s', async (_case, to, wonAmountMinor) => {
      expect(await metrics({ from: '2024-03-01T00:00:00Z', to, pipelineId: RENEWALS })).toMatchObject({
        won: 1,
        lost: 0,
        averageDealSize: [{ currency: 'EUR', wonCount: 1, wonAmountMinor, averageDealSizeMinor: wonAmountMinor }],
        salesCycle: { wonCount: 1, meanDays: 4, medianDays: 4 },
      });
    });

    it('does not count it in a period ending after the reopening', async () => {
      expect(await metrics({ from: '2024-03-01T00:00:00Z', to: '2024-04-01T00:00:00Z', pipelineId: RENEWALS })).toMatchObject({
        won: 0,
        averageDealSize: [],
      });
    });
  });
});
