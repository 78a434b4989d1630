import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ATTRIBUTION_PROJECTION, attributionProjection, EVERY_STORED_MODEL, schemaNameOf } from '@revops/projections';
import { graphqlClient, type GraphqlResponse, runMutation } from './support/graphql-client';
import { startTestApi, type TestApi } from './support/api';

// Starting the stores (a first embedded PostgreSQL start initialises a cluster) takes seconds.
jest.setTimeout(180_000);

type Position = { commit: string; prepare: string };

/** 09:00 UTC on a day of 2024 (`03-10`). */
const on = (day: string) => `2024-${day}T09:00:00.000Z`;
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const MARCH = { from: '2024-03-01T00:00:00Z', to: '2024-04-01T00:00:00Z', currency: 'EUR' };

const FIGURES = 'conversions amountMinor dealsTouched customers revenueMinor spendMinor leads mqls roi roas costPerLeadMinor cacMinor';
const REPORT = `model basis stored lookbackDays rows { key name ${FIGURES} } total { ${FIGURES} periodDeals periodAmountMinor reconciled }`;
const DEAL = `opportunityId model basis anchorAt amountMinor currency stored
  credits { touchpointId channel kind occurredAt positions share exactShare amountMinor }`;

interface Figures {
  conversions: number;
  amountMinor: number;
  dealsTouched: number;
  customers: number;
  revenueMinor: number;
  spendMinor: number;
  leads: number;
  mqls: number;
  roi: number | null;
  roas: number | null;
  costPerLeadMinor: number | null;
  cacMinor: number | null;
}
interface Report {
  model: string;
  basis: string;
  stored: boolean;
  lookbackDays: number;
  rows: (Figures & { key: string; name: string | null })[];
  total: Figures & { periodDeals: number; periodAmountMinor: number; reconciled: boolean };
}
interface TouchCredit {
  touchpointId: string;
  channel: string | null;
  kind: string | null;
  occurredAt: string | null;
  positions: string[];
  share: number;
  exactShare: string;
  amountMinor: number;
}
interface DealAttribution {
  opportunityId: string;
  anchorAt: string;
  amountMinor: number;
  stored: boolean;
  credits: TouchCredit[];
}

/** Amount credited per key, as `{ key: amountMinor }`. */
const amounts = (report: Report) => Object.fromEntries(report.rows.filter((row) => row.amountMinor > 0).map((row) => [row.key, row.amountMinor]));
/** A deal's credits per channel, as `{ channel: amountMinor }`. */
const byChannel = (deal: DealAttribution) => Object.fromEntries(deal.credits.map((credit) => [credit.channel ?? '(none)', credit.amountMinor]));

/*
 * The scenario, in business time (09:00 UTC). Campaigns: cmp-search (paid search; spend 300.00
 * EUR on 03-01) and cmp-social (paid social; 200.00 EUR on 03-02).
 *
 *   ada  ad click cmp-search 03-01 (paid_search); email click 03-04 (email); lead 03-05; MQL 03-07
 *   ben  anonymous ajs-ben: LinkedIn visit cmp-social 03-02 (paid_social), not yet linked;
 *        direct visit 03-08 (direct); lead 03-06
 *   cy   ad click cmp-search 03-05 (paid_search); on no deal: a non-converting journey
 *   X    opened 03-10 with ada, 1,000.00 EUR; won 03-20 for 900.00 EUR
 *   Y    opened 03-12 with ben, 600.00 EUR
 *   Z    opened 03-15 at another account, no contact: 400.00 EUR, credited to (none)
 *
 * Later, in this order: ben is identified as ajs-ben (his LinkedIn visit joins Y's journey),
 * and a BACKDATED organic visit of ada on 03-03 arrives (it joins X's).
 */
describe('Marketing attribution over GraphQL', () => {
  let testApi: TestApi;
  let send: ReturnType<typeof graphqlClient>;
  let written: Position = { commit: '0', prepare: '0' };

  function remember(position: Position) {
    if (BigInt(position.commit) > BigInt(written.commit)) written = position;
  }

  async function write(name: string, input: Record<string, unknown>): Promise<void> {
    remember((await runMutation(send, name, input)).position);
  }

  async function recordTouchpoints(touchpoints: Record<string, unknown>[]) {
    const response = await send<{ recordTouchpoints: { rejected: unknown[]; position: Position } }>(
      `mutation ($touchpoints: [TouchpointInput!]!) { recordTouchpoints(touchpoints: $touchpoints) { rejected { index errors { field message } } position { commit prepare } } }`,
      { touchpoints: touchpoints.map((touchpoint) => ({ touchpointId: randomUUID(), source: 'acme-web', ...touchpoint })) },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.recordTouchpoints.rejected).toEqual([]);
    remember(response.data!.recordTouchpoints.position);
  }

  async function ask<Data>(query: string, variables: Record<string, unknown> = {}): Promise<GraphqlResponse<Data>> {
    return send<Data>(query, { minPosition: written, ...variables });
  }

  async function report(variables: Record<string, unknown>): Promise<Report> {
    const response = await ask<{ attribution: Report }>(
      `query ($model: AttributionModel!, $basis: AttributionBasis, $groupBy: AttributionDimension, $from: String!, $to: String!, $currency: String!,
              $lookbackDays: Int, $customWeights: CustomWeightsInput, $minPosition: PositionInput) {
         attribution(model: $model, basis: $basis, groupBy: $groupBy, from: $from, to: $to, currency: $currency,
                     lookbackDays: $lookbackDays, customWeights: $customWeights, minPosition: $minPosition) { ${REPORT} }
       }`,
      { ...MARCH, ...variables },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.attribution;
  }

  async function deal(opportunityId: string, model: string, basis = 'PIPELINE', extra: Record<string, unknown> = {}): Promise<DealAttribution | null> {
    const response = await ask<{ opportunityAttribution: DealAttribution | null }>(
      `query ($opportunityId: String!, $model: AttributionModel!, $basis: AttributionBasis, $lookbackDays: Int, $minPosition: PositionInput) {
         opportunityAttribution(opportunityId: $opportunityId, model: $model, basis: $basis, lookbackDays: $lookbackDays, minPosition: $minPosition) { ${DEAL} }
       }`,
      { opportunityId, model, basis, ...extra },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.opportunityAttribution;
  }

  /** Every stored credit of the three deals under every model and basis: what a change may or may not touch. */
  async function everyCredit(): Promise<Record<string, DealAttribution | null>> {
    const models = ['FIRST_TOUCH', 'LAST_TOUCH', 'LINEAR', 'TIME_DECAY', 'W_SHAPED', 'FULL_PATH'];
    const all: Record<string, DealAttribution | null> = {};
    for (const id of ['X', 'Y', 'Z']) {
      for (const model of models) for (const basis of ['PIPELINE', 'REVENUE']) all[`${id} ${model} ${basis}`] = await deal(id, model, basis);
    }
    return all;
  }
  const creditsOf = (all: Record<string, DealAttribution | null>, id: string) =>
    Object.fromEntries(Object.entries(all).filter(([key]) => key.startsWith(`${id} `)));

  const paidSearch = { utm: { source: 'google', medium: 'cpc' }, campaignId: 'cmp-search', details: { adPlatform: 'google_ads' } };
  const linkedIn = { utm: { source: 'linkedin', medium: 'paid_social' }, campaignId: 'cmp-social', details: { pageUrl: 'https://acme.example/' } };
  const emailClick = { details: { messageId: 'nl-march', url: 'https://acme.example/blog' } };

  let beforeLink: Record<string, DealAttribution | null>;
  let afterLink: Record<string, DealAttribution | null>;
  let afterLateTouch: Record<string, DealAttribution | null>;
  let reportBeforeLink: Report;

  beforeAll(async () => {
    testApi = await startTestApi('attribution');
    ({ send } = testApi);

    await write('definePipeline', {
      pipelineId: 'new-business',
      name: 'New business',
      stages: [
        { stageId: 'discovery', name: 'Discovery', order: 10, winProbability: 10 },
        { stageId: 'proposal', name: 'Proposal', order: 20, winProbability: 50 },
      ],
      occurredAt: on('01-01'),
    });
    await write('createAccount', { accountId: 'acme', name: 'Acme', domain: 'acme.example', occurredAt: on('01-01') });
    await write('createAccount', { accountId: 'globex', name: 'Globex', domain: 'globex.example', occurredAt: on('01-01') });
    const campaign = (campaignId: string, name: string, channel: string) =>
      write('createCampaign', { campaignId, name, channel, budget: eur(1_000_000), startDate: '2024-02-01', occurredAt: on('02-01') });
    await campaign('cmp-search', 'Spring search', 'PAID_SEARCH');
    await campaign('cmp-social', 'LinkedIn retargeting', 'PAID_SOCIAL');
    await write('recordCampaignSpend', { campaignId: 'cmp-search', day: '2024-03-01', source: 'google_ads', amount: eur(30_000), occurredAt: on('03-02') });
    await write('recordCampaignSpend', { campaignId: 'cmp-social', day: '2024-03-02', source: 'linkedin_ads', amount: eur(20_000), occurredAt: on('03-03') });
    // February spend lies outside the period.
    await write('recordCampaignSpend', { campaignId: 'cmp-search', day: '2024-02-29', source: 'google_ads', amount: eur(99_000), occurredAt: on('03-01') });

    await recordTouchpoints([
      { kind: 'AD_CLICK', contactId: 'ada', occurredAt: on('03-01'), ...paidSearch },
      { kind: 'EMAIL_CLICK', contactId: 'ada', occurredAt: on('03-04'), ...emailClick },
      { kind: 'WEB_VISIT', anonymousId: 'ajs-ben', occurredAt: on('03-02'), ...linkedIn },
      { kind: 'WEB_VISIT', contactId: 'ben', occurredAt: on('03-08'), details: { pageUrl: 'https://acme.example/pricing' } },
      { kind: 'AD_CLICK', contactId: 'cy', occurredAt: on('03-05'), ...paidSearch },
      // Sent, not acted on: never eligible.
      { kind: 'EMAIL_SENT', contactId: 'ada', occurredAt: on('03-09'), details: { messageId: 'nl-march-2' } },
    ]);
    const capture = (contactId: string, occurredAt: string) =>
      write('captureLead', { contactId, email: `${contactId}@gmail.com`, lifecycleStage: 'LEAD', occurredAt });
    await capture('ada', on('03-05'));
    await capture('ben', on('03-06'));
    await write('qualifyLead', { contactId: 'ada', stage: 'MQL', occurredAt: on('03-07') });

    const open = (opportunityId: string, accountId: string, contactIds: string[], amountMinor: number, occurredAt: string) =>
      write('openOpportunity', {
        opportunityId,
        name: `Deal ${opportunityId}`,
        accountId,
        contactRoles: contactIds.map((contactId) => ({ contactId, role: 'CHAMPION' })),
        pipelineId: 'new-business',
        stageId: 'discovery',
        amount: eur(amountMinor),
        expectedCloseDate: '2024-06-30',
        ownerId: 'rep-sam',
        occurredAt,
      });
    await open('X', 'acme', ['ada'], 100_000, on('03-10'));
    await open('Y', 'acme', ['ben'], 60_000, on('03-12'));
    await open('Z', 'globex', [], 40_000, on('03-15'));
    await write('closeOpportunityWon', { opportunityId: 'X', wonAmount: eur(90_000), occurredAt: on('03-20') });

    beforeLink = await everyCredit();
    reportBeforeLink = await report({ model: 'LINEAR' });
    await write('identify', { contactId: 'ben', anonymousId: 'ajs-ben', occurredAt: on('03-13') });
    afterLink = await everyCredit();
    await recordTouchpoints([{ kind: 'WEB_VISIT', contactId: 'ada', occurredAt: on('03-03'), referrer: 'https://www.google.com/', details: { pageUrl: 'https://acme.example/' } }]);
    afterLateTouch = await everyCredit();
  });

  afterAll(async () => {
    await testApi?.close();
  });

  describe('before ben is identified', () => {
    it('credits X to its two touches, Y to the direct visit and Z to (none), reconciled with the pipeline', () => {
      expect(amounts(reportBeforeLink)).toEqual({ paid_search: 50_000, email: 50_000, direct: 60_000, '(none)': 40_000 });
      expect(reportBeforeLink.total).toMatchObject({ amountMinor: 200_000, conversions: 3, dealsTouched: 3, periodDeals: 3, periodAmountMinor: 200_000, reconciled: true });
      expect(reportBeforeLink.stored).toBe(true);
    });

    it('counts ben as a lead no touch explains', () => {
      const leads = Object.fromEntries(reportBeforeLink.rows.filter((row) => row.leads > 0).map((row) => [row.key, row.leads]));
      expect(leads).toEqual({ email: 1, '(none)': 1 });
    });
  });

  describe('an identity link', () => {
    it("adds ben's anonymous visit to Y's journey", () => {
      expect(byChannel(beforeLink['Y LINEAR PIPELINE']!)).toEqual({ direct: 60_000 });
      expect(byChannel(afterLink['Y LINEAR PIPELINE']!)).toEqual({ paid_social: 30_000, direct: 30_000 });
    });

    it('changes no credit of X or Z', () => {
      expect(creditsOf(afterLink, 'X')).toEqual(creditsOf(beforeLink, 'X'));
      expect(creditsOf(afterLink, 'Z')).toEqual(creditsOf(beforeLink, 'Z'));
    });
  });

  describe('a backdated touchpoint', () => {
    it("joins X's journey in business-time order", () => {
      const x = afterLateTouch['X LINEAR PIPELINE']!;
      expect(x.credits.map((credit) => [credit.channel, credit.occurredAt])).toEqual([
        ['paid_search', on('03-01')],
        ['organic_search', on('03-03')],
        ['email', on('03-04')],
      ]);
      // 100,000 / 3: the remainder goes to the largest share, the earliest of equal ones.
      expect(x.credits.map((credit) => credit.amountMinor)).toEqual([33_334, 33_333, 33_333]);
      // Shares too are 18-place decimals adding up to exactly 1, the remainder to the first.
      expect(x.credits.map((credit) => credit.exactShare)).toEqual(['0.333333333333333334', '0.333333333333333333', '0.333333333333333333']);
    });

    it('changes no credit of Y or Z', () => {
      expect(creditsOf(afterLateTouch, 'Y')).toEqual(creditsOf(afterLink, 'Y'));
      expect(creditsOf(afterLateTouch, 'Z')).toEqual(creditsOf(afterLink, 'Z'));
    });
  });

  describe('per-deal credits', () => {
    it('W_SHAPED gives FT, LC and OC 30 % each and the middle 10 %', () => {
      // LC: ada became a lead 03-05, last touch before is the email (03-04), which is also OC.
      const x = afterLateTouch['X W_SHAPED PIPELINE']!;
      expect(x.credits.map((credit) => [credit.channel, credit.positions, credit.amountMinor])).toEqual([
        ['paid_search', ['FT'], 30_000],
        ['organic_search', ['middle'], 10_000],
        ['email', ['LC', 'OC', 'last'], 60_000],
      ]);
    });

    it('FULL_PATH on revenue credits the won amount with a closed-won touch', () => {
      const x = afterLateTouch['X FULL_PATH REVENUE']!;
      expect(x.anchorAt).toBe(on('03-20'));
      expect(byChannel(x)).toEqual({ paid_search: 20_250, organic_search: 9_000, email: 60_750 });
    });

    it('TIME_DECAY halves a touch’s weight every 7 days before the anchor', () => {
      const weights = [9, 7, 6].map((days) => 2 ** (-days / 7));
      const sum = weights.reduce((a, b) => a + b, 0);
      const shares = afterLateTouch['X TIME_DECAY PIPELINE']!.credits.map((credit) => credit.share);
      shares.forEach((share, index) => expect(share).toBeCloseTo(weights[index] / sum, 9));
    });

    it('FIRST_TOUCH and LAST_TOUCH credit one touch whole and list the others at zero', () => {
      expect(byChannel(afterLateTouch['X FIRST_TOUCH PIPELINE']!)).toEqual({ paid_search: 100_000, organic_search: 0, email: 0 });
      expect(byChannel(afterLateTouch['X LAST_TOUCH PIPELINE']!)).toEqual({ paid_search: 0, organic_search: 0, email: 100_000 });
    });

    it('has no revenue credit for a deal not won, and credits a deal without touches to (none)', () => {
      expect(afterLateTouch['Y LINEAR REVENUE']).toBeNull();
      expect(afterLateTouch['Z LINEAR PIPELINE']!.credits).toEqual([
        { touchpointId: '(none)', channel: null, kind: null, occurredAt: null, positions: [], share: 1, exactShare: '1.000000000000000000', amountMinor: 40_000 },
      ]);
      expect(afterLateTouch['Z TIME_DECAY PIPELINE']!.credits).toEqual(afterLateTouch['Z LINEAR PIPELINE']!.credits);
    });

    it('keeps the credit of a deal every model credits to (none) once, for every model', async () => {
      const schema = schemaNameOf(ATTRIBUTION_PROJECTION, attributionProjection.version);
      const kept = await testApi.api.app.get(DataSource).query(`SELECT model, basis, touchpoint_id, credit_minor::int AS amount FROM ${schema}.credits WHERE opportunity_id = 'Z'`);
      expect(kept).toEqual([{ model: EVERY_STORED_MODEL, basis: 'PIPELINE', touchpoint_id: '(none)', amount: 40_000 }]);
    });
  });

  describe('the attribution report', () => {
    it('groups LINEAR pipeline credits by channel with spend, leads, ROI, ROAS, cost per lead and CAC', async () => {
      const linear = await report({ model: 'LINEAR' });
      expect(amounts(linear)).toEqual({ paid_search: 33_334, organic_search: 33_333, email: 33_333, paid_social: 30_000, direct: 30_000, '(none)': 40_000 });
      const row = (key: string) => linear.rows.find((candidate) => candidate.key === key)!;
      // Revenue: X's 90,000 split in three; CAC = spend / one third of a customer.
      expect(row('paid_search')).toMatchObject({ spendMinor: 30_000, revenueMinor: 30_000, roas: 1, roi: 0, cacMinor: 90_000, leads: 0, costPerLeadMinor: null });
      expect(row('paid_search').conversions).toBeCloseTo(1 / 3, 12);
      expect(row('paid_social')).toMatchObject({ spendMinor: 20_000, revenueMinor: 0, roas: 0, roi: -1, leads: 1, costPerLeadMinor: 20_000, cacMinor: null, dealsTouched: 1 });
      expect(row('email')).toMatchObject({ leads: 1, mqls: 1, spendMinor: 0, roas: null });
      expect(linear.total).toMatchObject({
        amountMinor: 200_000,
        conversions: 3,
        dealsTouched: 3,
        spendMinor: 50_000,
        leads: 2,
        mqls: 1,
        revenueMinor: 90_000,
        periodDeals: 3,
        periodAmountMinor: 200_000,
        reconciled: true,
      });
    });

    it('reconciles with the pipeline and the revenue of the period under every model', async () => {
      const models = ['FIRST_TOUCH', 'LAST_TOUCH', 'LAST_NON_DIRECT', 'LINEAR', 'TIME_DECAY', 'POSITION_BASED', 'U_SHAPED', 'W_SHAPED', 'FULL_PATH', 'J_SHAPED', 'INVERSE_J'];
      for (const model of models) {
        for (const [basis, amountMinor, deals] of [['PIPELINE', 200_000, 3], ['REVENUE', 90_000, 1]] as const) {
          const result = await report({ model, basis, groupBy: 'CAMPAIGN' });
          expect({ model, basis, ...result.total }).toMatchObject({ model, basis, amountMinor, periodAmountMinor: amountMinor, periodDeals: deals, reconciled: true });
          expect(result.rows.reduce((sum, row) => sum + row.amountMinor, 0)).toBe(amountMinor);
        }
      }
    });

    it('reads a period that does not fall on whole days from the credits themselves, with the same figures', async () => {
      const whole = await report({ model: 'W_SHAPED', from: '2024-03-10T00:00:00Z' });
      const partial = await report({ model: 'W_SHAPED', from: '2024-03-09T12:00:00Z' });
      // Y: ben's LinkedIn visit is FT and LC (he became a lead 03-06), the direct visit OC; no
      // middle, so 60 : 30 → 40,000 and 20,000.
      expect(amounts(whole)).toEqual({ paid_search: 30_000, organic_search: 10_000, email: 60_000, paid_social: 40_000, direct: 20_000, '(none)': 40_000 });
      expect(partial.rows).toEqual(whole.rows);
      expect(partial.total).toEqual(whole.total);
    });

    it('computes another lookback on request', async () => {
      // Eight days before the anchor: X (03-10) loses the 03-01 click, Y (03-12) ben's 03-02 visit.
      const short = await report({ model: 'LINEAR', lookbackDays: 8 });
      expect(short.stored).toBe(false);
      expect(amounts(short)).toEqual({ organic_search: 50_000, email: 50_000, direct: 60_000, '(none)': 40_000 });
      expect(short.total.reconciled).toBe(true);
    });

    it('computes CUSTOM weights on request', async () => {
      const custom = await report({ model: 'CUSTOM', customWeights: { FT: 50, last: 50 } });
      expect(custom.stored).toBe(false);
      expect(amounts(custom)).toEqual({ paid_search: 50_000, email: 50_000, paid_social: 30_000, direct: 30_000, '(none)': 40_000 });
      expect(custom.total).toMatchObject({ amountMinor: 200_000, periodDeals: 3, reconciled: true });
    });

    it('refuses CUSTOM without weights and weights that do not sum to 100, naming the field', async () => {
      const missing = await send(`{ attribution(model: CUSTOM, from: "${MARCH.from}", to: "${MARCH.to}", currency: "EUR") { model } }`);
      expect(missing.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
      expect(JSON.stringify(missing.errors?.[0])).toContain('customWeights');
      const wrong = await send(
        `{ attribution(model: CUSTOM, customWeights: { FT: 50, last: 40 }, from: "${MARCH.from}", to: "${MARCH.to}", currency: "EUR") { model } }`,
      );
      expect(wrong.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
      expect(wrong.errors?.[0].message).toMatch(/100/);
    });

    it('puts several models side by side', async () => {
      const response = await ask<{ attributionComparison: { models: string[]; rows: { key: string; models: { model: string; amountMinor: number }[] }[] } }>(
        `query ($from: String!, $to: String!, $currency: String!, $minPosition: PositionInput) {
           attributionComparison(models: [FIRST_TOUCH, LAST_TOUCH], from: $from, to: $to, currency: $currency, minPosition: $minPosition) {
             models rows { key models { model amountMinor } }
           }
         }`,
        MARCH,
      );
      expect(response.errors).toBeUndefined();
      const comparison = response.data!.attributionComparison;
      expect(comparison.models).toEqual(['FIRST_TOUCH', 'LAST_TOUCH']);
      const side = Object.fromEntries(comparison.rows.map((row) => [row.key, row.models.map((figures) => figures.amountMinor)]));
      expect(side).toMatchObject({ paid_search: [100_000, 0], email: [0, 100_000], paid_social: [60_000, 0], direct: [0, 60_000], '(none)': [40_000, 40_000] });
    });
  });

  describe('campaign performance', () => {
    it('follows each campaign from spend to credited pipeline and revenue', async () => {
      const response = await ask<{ campaignPerformance: { rows: Record<string, unknown>[]; total: Record<string, unknown> } }>(
        `query ($from: String!, $to: String!, $currency: String!, $minPosition: PositionInput) {
           campaignPerformance(model: LINEAR, from: $from, to: $to, currency: $currency, minPosition: $minPosition) {
             rows { campaignId name spendMinor leads mqls opportunities pipelineMinor wonDeals revenueMinor roas }
             total { spendMinor leads pipelineMinor revenueMinor }
           }
         }`,
        MARCH,
      );
      expect(response.errors).toBeUndefined();
      const { rows, total } = response.data!.campaignPerformance;
      const byId = Object.fromEntries(rows.map((row) => [row.campaignId, row]));
      expect(byId['cmp-search']).toMatchObject({ name: 'Spring search', spendMinor: 30_000, leads: 0, pipelineMinor: 33_334, revenueMinor: 30_000, roas: 1 });
      expect(byId['cmp-social']).toMatchObject({ name: 'LinkedIn retargeting', spendMinor: 20_000, leads: 1, opportunities: 0.5, pipelineMinor: 30_000, revenueMinor: 0 });
      expect(byId['(not set)']).toMatchObject({ leads: 1, mqls: 1, pipelineMinor: 96_666, revenueMinor: 60_000 });
      expect(byId['(none)']).toMatchObject({ opportunities: 1, pipelineMinor: 40_000 });
      expect(total).toEqual({ spendMinor: 50_000, leads: 2, pipelineMinor: 200_000, revenueMinor: 90_000 });
    });
  });

  describe('data-driven attribution', () => {
    const query = `query ($model: DataDrivenModel!, $from: String!, $to: String!, $currency: String!, $minPosition: PositionInput) {
      dataDrivenAttribution(model: $model, from: $from, to: $to, currency: $currency, minPosition: $minPosition) {
        convertingJourneys nonConvertingJourneys conversionProbability totalConversions totalValueMinor cached
        rows { key removalEffect conversions valueMinor }
      }
    }`;
    type DataDriven = {
      convertingJourneys: number;
      nonConvertingJourneys: number;
      conversionProbability: number | null;
      totalConversions: number;
      totalValueMinor: number;
      cached: boolean;
      rows: { key: string; removalEffect: number | null; conversions: number; valueMinor: number }[];
    };
    const learn = async (model: string) => {
      const response = await ask<{ dataDrivenAttribution: DataDriven }>(query, { model, ...MARCH });
      expect(response.errors).toBeUndefined();
      return response.data!.dataDrivenAttribution;
    };

    // Journeys: X paid_search > organic_search > email (100,000), Y paid_social > direct (60,000),
    // Z (none) (40,000), and cy's paid_search click that led nowhere.
    it('MARKOV: removal effects of the absorbing chain, exactly', async () => {
      const markov = await learn('MARKOV');
      expect(markov).toMatchObject({ convertingJourneys: 3, nonConvertingJourneys: 1, totalConversions: 3, totalValueMinor: 200_000 });
      // P(conversion) = ½·½ + ¼ + ¼; removing any one value leaves ½, so every effect is ⅓.
      expect(markov.conversionProbability).toBeCloseTo(0.75, 12);
      for (const row of markov.rows) {
        expect(row.removalEffect).toBeCloseTo(1 / 3, 12);
        expect(row.conversions).toBeCloseTo(0.5, 12);
      }
      expect(markov.rows.map((row) => row.key).sort()).toEqual(['(none)', 'direct', 'email', 'organic_search', 'paid_search', 'paid_social']);
      // Value: a conversion is worth the mean value of those ending at its last state (email
      // 100,000, direct 60,000, (none) 40,000), so E[value] = ¼·100,000 + ¼·60,000 + ¼·40,000 =
      // 50,000. Without X's values 25,000 remain (effect ½), without Y's 35,000 (0.3), without
      // (none) 40,000 (0.2): 200,000 is shared in proportion ½ : ½ : ½ : 0.3 : 0.3 : 0.2.
      const value = Object.fromEntries(markov.rows.map((row) => [row.key, row.valueMinor]));
      for (const key of ['paid_search', 'organic_search', 'email']) expect(value[key]).toBeCloseTo((200_000 * 0.5) / 2.3, 6);
      for (const key of ['paid_social', 'direct']) expect(value[key]).toBeCloseTo((200_000 * 0.3) / 2.3, 6);
      expect(value['(none)']).toBeCloseTo((200_000 * 0.2) / 2.3, 6);
    });

    it('SHAPLEY: each converting journey shared equally among its distinct values', async () => {
      const shapley = await learn('SHAPLEY');
      const rows = Object.fromEntries(shapley.rows.map((row) => [row.key, [row.conversions, row.valueMinor]]));
      expect(rows.paid_search[0]).toBeCloseTo(1 / 3, 12);
      expect(rows.paid_search[1]).toBeCloseTo(100_000 / 3, 6);
      expect(rows.paid_social).toEqual([0.5, 30_000]);
      expect(rows['(none)']).toEqual([1, 40_000]);
    });

    it('answers from its cache until an input changes', async () => {
      await learn('SHAPLEY');
      expect((await learn('SHAPLEY')).cached).toBe(true);
      await recordTouchpoints([{ kind: 'AD_CLICK', contactId: 'dan', occurredAt: on('03-21'), ...paidSearch }]);
      const after = await learn('SHAPLEY');
      expect(after.cached).toBe(false);
      expect((await learn('MARKOV')).nonConvertingJourneys).toBe(2);
    });
  });

  describe('reopening and winning again', () => {
    it('withdraws revenue credit while the deal is open and credits the new win', async () => {
      await write('reopenOpportunity', { opportunityId: 'X', stageId: 'proposal', reason: 'scope change', occurredAt: on('03-25') });
      expect(await deal('X', 'LINEAR', 'REVENUE')).toBeNull();
      const revenue = await report({ model: 'LINEAR', basis: 'REVENUE' });
      expect(revenue.total).toMatchObject({ amountMinor: 0, periodDeals: 0, reconciled: true });

      await write('closeOpportunityWon', { opportunityId: 'X', wonAmount: eur(95_000), occurredAt: on('03-28') });
      const won = (await deal('X', 'LINEAR', 'REVENUE'))!;
      expect(won.anchorAt).toBe(on('03-28'));
      expect(won.credits.map((credit) => credit.amountMinor)).toEqual([31_668, 31_666, 31_666]);
    });
  });

  describe('a new contact role and an amount change', () => {
    it("bring the contact's journey to that deal alone; a later amount changes no credit", async () => {
      const before = await everyCredit();
      await write('addOpportunityContact', { opportunityId: 'Z', contactId: 'ben', role: 'INFLUENCER', occurredAt: on('03-26') });
      await write('changeOpportunityAmount', { opportunityId: 'Y', amount: eur(75_000), occurredAt: on('03-27') });
      const after = await everyCredit();
      // Z opened 03-15: ben's LinkedIn visit (03-02) and direct visit (03-08) now explain it.
      expect(byChannel(after['Z LINEAR PIPELINE']!)).toEqual({ paid_social: 20_000, direct: 20_000 });
      expect(creditsOf(after, 'X')).toEqual(creditsOf(before, 'X'));
      // The pipeline basis credits the amount at opening.
      expect(creditsOf(after, 'Y')).toEqual(creditsOf(before, 'Y'));
    });

    it('narrows eligible touches by channel on request, still reconciled', async () => {
      const response = await ask<{ attribution: Report }>(
        `query ($from: String!, $to: String!, $currency: String!, $minPosition: PositionInput) {
           attribution(model: LINEAR, from: $from, to: $to, currency: $currency, filters: { channels: ["email", "direct"] }, minPosition: $minPosition) { ${REPORT} }
         }`,
        MARCH,
      );
      expect(response.errors).toBeUndefined();
      const filtered = response.data!.attribution;
      expect(filtered.stored).toBe(false);
      expect(amounts(filtered)).toEqual({ email: 100_000, direct: 100_000 });
      expect(filtered.total).toMatchObject({ amountMinor: 200_000, reconciled: true });
    });
  });

  describe('the daily totals the projection keeps', () => {
    it('equal the sums of its credits for every model, basis, dimension, day and key', async () => {
      const dataSource = testApi.api.app.get(DataSource);
      const schema = schemaNameOf(ATTRIBUTION_PROJECTION, attributionProjection.version);
      const keyOf = (column: string) => `CASE WHEN touchpoint_id = '(none)' THEN '(none)' ELSE coalesce(${column}, '(not set)') END`;
      const fromCredits = await dataSource.query(
        `SELECT model, basis, k.dimension, (anchor_at AT TIME ZONE 'UTC')::date::text AS day, k.key, sum(share)::text AS conversions,
                sum(credit_minor)::int AS amount, count(DISTINCT opportunity_id)::int AS deals
           FROM ${schema}.credits
           CROSS JOIN LATERAL (VALUES ('all', ''), ('channel', ${keyOf('channel')}), ('campaign', ${keyOf('campaign_id')}),
                                      ('source', ${keyOf('source')}), ('medium', ${keyOf('medium')}), ('content', ${keyOf('content')})) AS k(dimension, key)
          GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
      );
      const kept = await dataSource.query(
        `SELECT model, basis, dimension, anchor_day::text AS day, key, conversions::text, amount_minor::int AS amount, deals
           FROM ${schema}.credit_totals WHERE deals <> 0 ORDER BY 1, 2, 3, 4, 5`,
      );
      expect(fromCredits.length).toBeGreaterThan(100);
      expect(kept).toEqual(fromCredits);
    });
  });
});
