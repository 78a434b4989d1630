import { randomUUID } from 'node:crypto';
import { graphqlClient, type GraphqlResponse, runMutation } from './support/graphql-client';
import { startTestApi, type TestApi } from './support/api';

// Starting the stores (a first embedded PostgreSQL start initialises a cluster) takes seconds.
jest.setTimeout(120_000);

type Position = { commit: string; prepare: string };

const MARCH = { from: '2024-03-01T00:00:00Z', to: '2024-04-01T00:00:00Z' };
const rep = { 'x-actor-id': 'rep-sam' };

const funnelQuery = `
  query ($from: String!, $to: String!, $groupBy: FunnelGroupBy, $minPosition: PositionInput) {
    funnel(from: $from, to: $to, groupBy: $groupBy, minPosition: $minPosition) {
      from to groupBy
      total { ...group }
      groups { ...group }
    }
  }
  fragment group on FunnelGroup {
    key name leadToCustomerRate
    stages { stage contacts }
    steps { from to conversionRate medianDays timedContacts }
  }`;

const leadQualityQuery = `
  query ($from: String!, $to: String!, $groupBy: LeadQualityGroupBy, $minPosition: PositionInput) {
    leadQuality(from: $from, to: $to, groupBy: $groupBy, minPosition: $minPosition) {
      from to groupBy
      total { ...group }
      groups { ...group }
    }
  }
  fragment group on LeadQualityGroup {
    key name decided accepted rejected acceptRate rejectRate
    rejectReasons { reason leads notes }
  }`;

type Step = [conversionRate: number | null, medianDays: number | null, timedContacts: number];

/** The expected funnel of a group: contacts per stage (LEAD … CUSTOMER) and each step as [rate, median days, timed]. */
function funnelGroup(key: string, name: string | null, contacts: number[], steps: Step[], leadToCustomerRate: number | null) {
  const stages = ['LEAD', 'MQL', 'SQL', 'OPPORTUNITY', 'CUSTOMER'];
  return {
    key,
    name,
    leadToCustomerRate,
    stages: stages.map((stage, index) => ({ stage, contacts: contacts[index] })),
    steps: steps.map(([conversionRate, medianDays, timedContacts], index) => ({
      from: stages[index],
      to: stages[index + 1],
      conversionRate,
      medianDays,
      timedContacts,
    })),
  };
}

/** The expected verdicts of a group: [decided, accepted, rejected], [accept rate, reject rate] and [reason, leads, notes]. */
function qualityGroup(
  key: string,
  name: string | null,
  [decided, accepted, rejected]: number[],
  [acceptRate, rejectRate]: (number | null)[],
  reasons: [reason: string, leads: number, notes: number][] = [],
) {
  const rejectReasons = reasons.map(([reason, leads, notes]) => ({ reason, leads, notes }));
  return { key, name, decided, accepted, rejected, acceptRate, rejectRate, rejectReasons };
}

describe('The lead funnel and lead quality over GraphQL', () => {
  let testApi: TestApi;
  let send: ReturnType<typeof graphqlClient>;
  /** The furthest position the scenario wrote: queries given it see all of it. */
  let written: Position = { commit: '0', prepare: '0' };

  function remember(position: Position) {
    if (BigInt(position.commit) > BigInt(written.commit)) written = position;
  }

  async function mutate(name: string, input: Record<string, unknown>) {
    remember((await runMutation(send, name, input, { headers: rep })).position);
  }

  async function recordTouchpoints(touchpoints: Record<string, unknown>[]) {
    const response = await send<{ recordTouchpoints: { accepted: string[]; rejected: unknown[]; position: Position } }>(
      `mutation ($touchpoints: [TouchpointInput!]!) {
         recordTouchpoints(touchpoints: $touchpoints) { accepted rejected { index } position { commit prepare } }
       }`,
      { touchpoints: touchpoints.map((touchpoint) => ({ touchpointId: randomUUID(), source: 'acme-web', ...touchpoint })) },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.recordTouchpoints.rejected).toEqual([]);
    remember(response.data!.recordTouchpoints.position);
  }

  const capture = (contactId: string, occurredAt: string, lifecycleStage = 'LEAD') =>
    mutate('captureLead', { contactId, email: `${contactId}@gmail.com`, lifecycleStage, occurredAt });
  const qualify = (contactId: string, stage: string, occurredAt: string) => mutate('qualifyLead', { contactId, stage, occurredAt });
  const accept = (contactId: string, occurredAt: string) => mutate('acceptLead', { contactId, occurredAt });
  const reject = (contactId: string, reason: string, occurredAt: string, note?: string) =>
    mutate('rejectLead', { contactId, reason, note, occurredAt });

  function report<Data>(query: string, variables: Record<string, unknown>): Promise<GraphqlResponse<Data>> {
    return send<Data>(query, { ...MARCH, minPosition: written, ...variables });
  }

  beforeAll(async () => {
    testApi = await startTestApi('lead-funnel');
    ({ send } = testApi);

    const campaign = (campaignId: string, name: string, channel: string) =>
      mutate('createCampaign', { campaignId, name, channel, budget: { amountMinor: 1_000_000, currency: 'EUR' }, startDate: '2024-02-01' });
    await campaign('cmp-spring-search', 'Spring search', 'PAID_SEARCH');
    await campaign('cmp-linkedin', 'LinkedIn retargeting', 'PAID_SOCIAL');

    const googleAd = { utm: { source: 'google', medium: 'cpc' }, campaignId: 'cmp-spring-search', details: { adPlatform: 'google_ads' } };
    const linkedIn = { utm: { source: 'linkedin', medium: 'paid_social' }, campaignId: 'cmp-linkedin' };
    const emailClick = { details: { messageId: 'nl-march', url: 'https://acme.example/blog' } };
    await recordTouchpoints([
      // ada and eve: paid search, spring campaign.
      { kind: 'AD_CLICK', contactId: 'ada', occurredAt: '2024-02-20T10:00:00Z', ...googleAd },
      { kind: 'AD_CLICK', contactId: 'eve', occurredAt: '2024-03-01T10:00:00Z', ...googleAd },
      // ben: an anonymous LinkedIn visit before he is known, then an email click of his own.
      { kind: 'WEB_VISIT', anonymousId: 'ajs-ben', occurredAt: '2024-02-25T10:00:00Z', ...linkedIn, details: { pageUrl: 'https://acme.example/' } },
      { kind: 'EMAIL_CLICK', contactId: 'ben', occurredAt: '2024-03-06T09:00:00Z', ...emailClick },
      // dee: an ad shown to her (not an interaction) before the email she clicked.
      { kind: 'AD_IMPRESSION', contactId: 'dee', occurredAt: '2024-02-01T10:00:00Z', ...linkedIn, details: { adPlatform: 'linkedin_ads' } },
      { kind: 'EMAIL_CLICK', contactId: 'dee', occurredAt: '2024-02-10T10:00:00Z', ...emailClick },
      // fay: paid search, but she became a lead in February.
      { kind: 'AD_CLICK', contactId: 'fay', occurredAt: '2024-02-01T10:00:00Z', ...googleAd },
    ]);

    // ada: lead 03-02 → MQL 03-04 (2 d) → SQL 03-08 (4 d), accepted → opportunity 03-18 (10 d) → customer 04-17 (30 d).
    await capture('ada', '2024-03-02T00:00:00Z');
    await qualify('ada', 'MQL', '2024-03-04T00:00:00Z');
    await qualify('ada', 'SQL', '2024-03-08T00:00:00Z');
    await accept('ada', '2024-03-08T12:00:00Z');
    await qualify('ada', 'OPPORTUNITY', '2024-03-18T00:00:00Z');
    await qualify('ada', 'CUSTOMER', '2024-04-17T00:00:00Z');
    // ben: lead 03-05 → MQL 03-06 (1 d), rejected BAD_TIMING → SQL 03-12 (6 d), accepted → opportunity 03-24 (12 d).
    await capture('ben', '2024-03-05T00:00:00Z');
    await qualify('ben', 'MQL', '2024-03-06T00:00:00Z');
    await mutate('identify', { contactId: 'ben', anonymousId: 'ajs-ben', occurredAt: '2024-03-06T09:00:00Z' });
    await reject('ben', 'BAD_TIMING', '2024-03-07T00:00:00Z');
    await qualify('ben', 'SQL', '2024-03-12T00:00:00Z');
    await accept('ben', '2024-03-13T00:00:00Z');
    await qualify('ben', 'OPPORTUNITY', '2024-03-24T00:00:00Z');
    // cy (no touch at all): lead 03-10 → MQL 03-15 (5 d), rejected NOT_ICP.
    await capture('cy', '2024-03-10T00:00:00Z');
    await qualify('cy', 'MQL', '2024-03-15T00:00:00Z');
    await reject('cy', 'NOT_ICP', '2024-03-16T00:00:00Z');
    // dee: lead 03-15 → straight to SQL 03-17 (skipping MQL), rejected OTHER.
    await capture('dee', '2024-03-15T00:00:00Z');
    await qualify('dee', 'SQL', '2024-03-17T00:00:00Z');
    await reject('dee', 'OTHER', '2024-03-18T00:00:00Z', 'student project');
    // eve: lead 03-20 → MQL 03-23 (3 d), rejected NO_BUDGET.
    await capture('eve', '2024-03-20T00:00:00Z');
    await qualify('eve', 'MQL', '2024-03-23T00:00:00Z');
    await reject('eve', 'NO_BUDGET', '2024-03-24T00:00:00Z');
    // Outside the funnel's cohort: fay became a lead in February (sales accepted her in March),
    // gus at the period's exclusive end (and was rejected after it), hal is only a subscriber.
    await capture('fay', '2024-02-10T00:00:00Z');
    await qualify('fay', 'MQL', '2024-03-05T00:00:00Z');
    await accept('fay', '2024-03-06T00:00:00Z');
    await capture('gus', '2024-04-01T00:00:00Z');
    await qualify('gus', 'MQL', '2024-04-01T12:00:00Z');
    await reject('gus', 'NOT_ICP', '2024-04-02T00:00:00Z');
    await capture('hal', '2024-03-03T00:00:00Z', 'SUBSCRIBER');
  });

  afterAll(async () => {
    await testApi?.close();
  });

  // Cohort: ada, ben, cy, dee, eve (5 leads). MQL: all 5 (dee skipped it, but reached SQL).
  // SQL: ada, ben, dee (3). Opportunity: ada, ben (2). Customer: ada (1), after the period.
  // First touches: ada, eve paid_search; ben paid_social (his anonymous visit); cy (none);
  // dee email (the ad impression is not an interaction).
  describe('funnel', () => {
    it('counts the cohort, its conversions and the median days of each step', async () => {
      const response = await report<{ funnel: unknown }>(funnelQuery, {});
      expect(response.errors).toBeUndefined();
      const total = funnelGroup(
        'all',
        null,
        [5, 5, 3, 2, 1],
        [
          [1, 2.5, 4], // 5 / 5; days ben 1, ada 2, eve 3, cy 5 → (2 + 3) / 2; dee skipped MQL
          [0.6, 5, 2], // 3 / 5; ada 4, ben 6 → (4 + 6) / 2
          [2 / 3, 11, 2], // 2 / 3; ada 10, ben 12 → (10 + 12) / 2
          [0.5, 30, 1], // 1 / 2; ada 30
        ],
        0.2, // 1 / 5
      );
      expect(response.data!.funnel).toEqual({ ...MARCH, groupBy: 'NONE', total, groups: [total] });
    });

    it("groups the cohort by its first touch's channel, stitched anonymous visits included", async () => {
      const response = await report<{ funnel: { groups: unknown[] } }>(funnelQuery, { groupBy: 'FIRST_TOUCH_CHANNEL' });
      expect(response.errors).toBeUndefined();
      expect(response.data!.funnel.groups).toEqual([
        funnelGroup(
          'paid_search', // ada, eve
          null,
          [2, 2, 1, 1, 1],
          [
            [1, 2.5, 2], // 2 / 2; ada 2, eve 3
            [0.5, 4, 1], // 1 / 2; ada 4
            [1, 10, 1], // 1 / 1; ada 10
            [1, 30, 1], // 1 / 1; ada 30
          ],
          0.5, // 1 / 2
        ),
        funnelGroup(
          '(none)', // cy
          null,
          [1, 1, 0, 0, 0],
          [
            [1, 5, 1],
            [0, null, 0],
            [null, null, 0], // nobody reached SQL: no rate
            [null, null, 0],
          ],
          0,
        ),
        funnelGroup(
          'email', // dee, lead → SQL
          null,
          [1, 1, 1, 0, 0],
          [
            [1, null, 0], // MQL skipped: counted, not timed
            [1, null, 0],
            [0, null, 0],
            [null, null, 0],
          ],
          0,
        ),
        funnelGroup(
          'paid_social', // ben
          null,
          [1, 1, 1, 1, 0],
          [
            [1, 1, 1],
            [1, 6, 1],
            [1, 12, 1],
            [0, null, 0],
          ],
          0,
        ),
      ]);
    });

    it('names the campaign of each first touch', async () => {
      const response = await report<{ funnel: { groups: { key: string; name: string | null; stages: { contacts: number }[] }[] } }>(
        funnelQuery,
        { groupBy: 'FIRST_TOUCH_CAMPAIGN' },
      );
      expect(response.errors).toBeUndefined();
      // [key, name, leads, opportunities]
      expect(response.data!.funnel.groups.map(({ key, name, stages }) => [key, name, stages[0].contacts, stages[3].contacts])).toEqual([
        ['(none)', null, 2, 0], // cy, dee (her email click names no campaign)
        ['cmp-spring-search', 'Spring search', 2, 1], // ada, eve
        ['cmp-linkedin', 'LinkedIn retargeting', 1, 1], // ben
      ]);
    });

    it('answers zeros and null rates for a period in which no lead entered the funnel', async () => {
      const response = await report<{ funnel: { total: unknown; groups: unknown[] } }>(funnelQuery, {
        from: '2023-01-01T00:00:00Z',
        to: '2023-02-01T00:00:00Z',
        groupBy: 'FIRST_TOUCH_CHANNEL',
      });
      expect(response.errors).toBeUndefined();
      expect(response.data!.funnel.groups).toEqual([]);
      expect(response.data!.funnel.total).toEqual(
        funnelGroup(
          'all',
          null,
          [0, 0, 0, 0, 0],
          [
            [null, null, 0],
            [null, null, 0],
            [null, null, 0],
            [null, null, 0],
          ],
          null,
        ),
      );
    });
  });

  // Verdicts in March, latest per lead: ada accepted; ben accepted (his BAD_TIMING rejection was
  // superseded); fay accepted (she became a lead in February, sales judged her in March); cy
  // NOT_ICP; dee OTHER with a note; eve NO_BUDGET. gus's rejection is in April.
  describe('leadQuality', () => {
    it("groups sales' latest verdict per lead by the first touch's channel by default", async () => {
      const response = await report<{ leadQuality: unknown }>(leadQualityQuery, {});
      expect(response.errors).toBeUndefined();
      expect(response.data!.leadQuality).toEqual({
        ...MARCH,
        groupBy: 'FIRST_TOUCH_CHANNEL',
        // 3 / 6 each way; one rejection per reason, so in the order of the reason list.
        total: qualityGroup('all', null, [6, 3, 3], [0.5, 0.5], [
          ['NOT_ICP', 1, 0],
          ['NO_BUDGET', 1, 0],
          ['OTHER', 1, 1],
        ]),
        groups: [
          qualityGroup('paid_search', null, [3, 2, 1], [2 / 3, 1 / 3], [['NO_BUDGET', 1, 0]]), // ada, fay accepted; eve rejected
          qualityGroup('(none)', null, [1, 0, 1], [0, 1], [['NOT_ICP', 1, 0]]), // cy
          qualityGroup('email', null, [1, 0, 1], [0, 1], [['OTHER', 1, 1]]), // dee
          qualityGroup('paid_social', null, [1, 1, 0], [1, 0]), // ben
        ],
      });
    });

    it('groups the verdicts by the campaign of the first touch, with its name', async () => {
      const response = await report<{ leadQuality: { groups: unknown[] } }>(leadQualityQuery, { groupBy: 'FIRST_TOUCH_CAMPAIGN' });
      expect(response.errors).toBeUndefined();
      expect(response.data!.leadQuality.groups).toEqual([
        qualityGroup('cmp-spring-search', 'Spring search', [3, 2, 1], [2 / 3, 1 / 3], [['NO_BUDGET', 1, 0]]), // ada, fay, eve
        // cy, dee: 0 / 2 accepted, 2 / 2 rejected
        qualityGroup('(none)', null, [2, 0, 2], [0, 1], [
          ['NOT_ICP', 1, 0],
          ['OTHER', 1, 1],
        ]),
        qualityGroup('cmp-linkedin', 'LinkedIn retargeting', [1, 1, 0], [1, 0]), // ben
      ]);
    });

    it('counts the rejection of a lead that was not accepted later in the period', async () => {
      // Until 03-13 ben's latest verdict is his BAD_TIMING rejection of 03-07; ada's acceptance
      // (03-08) and fay's (03-06) are in too, nobody else was judged yet.
      const response = await report<{ leadQuality: { groups: unknown[] } }>(leadQualityQuery, {
        to: '2024-03-13T00:00:00Z',
        groupBy: 'NONE',
      });
      expect(response.errors).toBeUndefined();
      expect(response.data!.leadQuality.groups).toEqual([qualityGroup('all', null, [3, 2, 1], [2 / 3, 1 / 3], [['BAD_TIMING', 1, 0]])]);
    });
  });

  describe('given bad input', () => {
    it.each([
      ['funnel', funnelQuery],
      ['leadQuality', leadQualityQuery],
    ])('%s refuses from after to with BAD_USER_INPUT naming from', async (_name, query) => {
      const response = await send(query, { from: '2024-04-01T00:00:00Z', to: '2024-03-01T00:00:00Z' });
      expect(response.errors).toHaveLength(1);
      expect(response.errors![0].extensions).toEqual({
        code: 'BAD_USER_INPUT',
        fieldErrors: [{ field: 'from', message: 'from must be before to' }],
      });
    });

    it('refuses a time that is not UTC, naming the field', async () => {
      const response = await send(funnelQuery, { from: '2024-03-01T00:00:00+01:00', to: MARCH.to });
      expect(response.errors).toHaveLength(1);
      expect(response.errors![0].extensions).toEqual({
        code: 'BAD_USER_INPUT',
        fieldErrors: [{ field: 'from', message: expect.any(String) }],
      });
    });
  });
});
