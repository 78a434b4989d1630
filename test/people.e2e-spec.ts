import { anonymousIdForEmail } from '@revops/domain';
import { graphqlClient, runMutation } from './support/graphql-client';
import { startTestApi, type TestApi } from './support/api';

// Starting the stores (a first embedded PostgreSQL start initialises a cluster) takes seconds.
jest.setTimeout(180_000);

type Position = { commit: string; prepare: string };

const dana = { contactId: 'c-dana', email: 'dana@wayne-enterprises.com' };
const lucius = { contactId: 'c-lucius', email: 'lucius@wayne-enterprises.com' };

const webVisit = (externalId: string, anonymousId: string, occurredAt: string) => ({
  source: 'wayne-web',
  externalId,
  kind: 'WEB_VISIT',
  occurredAt,
  anonymousId,
  utm: { source: 'google', medium: 'cpc', campaign: 'security-q1' },
  details: { pageUrl: 'https://wayne.example/pricing' },
});

describe('People over GraphQL', () => {
  let testApi: TestApi;
  let send: ReturnType<typeof graphqlClient>;
  let written: Position;
  let accountId: string;
  const touchpointIds: Record<string, string> = {};

  async function mutate(name: string, input: Record<string, unknown>, selection = ''): Promise<Record<string, unknown>> {
    const receipt = await runMutation<Record<string, unknown> & { position: Position }>(send, name, input, { selection });
    written = receipt.position;
    return receipt;
  }

  async function record(touchpoints: Record<string, unknown>[]): Promise<void> {
    const response = await send<{ recordTouchpoints: { accepted: string[]; rejected: unknown[]; position: Position } }>(
      `mutation ($touchpoints: [TouchpointInput!]!) {
        recordTouchpoints(touchpoints: $touchpoints) { accepted rejected { index } position { commit prepare } }
      }`,
      { touchpoints },
    );
    expect(response.errors).toBeUndefined();
    const { accepted, rejected, position } = response.data!.recordTouchpoints;
    expect(rejected).toEqual([]);
    touchpoints.forEach((touchpoint, index) => (touchpointIds[touchpoint.externalId as string] = accepted[index]));
    written = position;
  }

  beforeAll(async () => {
    testApi = await startTestApi('people');
    ({ send } = testApi);

    const account = await mutate(
      'createAccount',
      {
        name: 'Wayne Enterprises',
        domain: 'wayne-enterprises.com',
        firmographics: {
          industry: 'Conglomerate',
          employeeBand: '10001+',
          country: 'US',
          annualRevenue: { amountMinor: 3_500_000_000_000, currency: 'USD' },
        },
        occurredAt: '2024-02-01T08:00:00Z',
      },
      'accountId',
    );
    accountId = account.accountId as string;

    // Before anyone knows who the visitor is; recorded out of business-time order on purpose.
    await record([
      webVisit('visit-pricing', 'ajs-dana', '2024-03-01T09:00:00Z'),
      { ...webVisit('visit-blog', 'ajs-dana', '2024-02-28T10:00:00Z'), utm: null, referrer: 'https://news.example/' },
      webVisit('visit-stranger', 'ajs-stranger', '2024-02-29T10:00:00Z'),
    ]);
    await mutate('captureLead', { ...dana, firstName: 'Dana', lastName: 'Drake', jobTitle: 'CISO', occurredAt: '2024-03-02T10:00:00Z' });
    await mutate('identify', { contactId: dana.contactId, anonymousId: 'ajs-dana', occurredAt: '2024-03-02T10:05:00Z' });
    await mutate('captureLead', { ...lucius, firstName: 'Lucius', occurredAt: '2024-03-03T09:00:00Z' });
    await record([
      {
        source: 'wayne-web',
        externalId: 'form-demo',
        kind: 'FORM_SUBMISSION',
        occurredAt: '2024-03-03T11:00:00Z',
        contactId: dana.contactId,
        details: { formId: 'demo-request' },
      },
      {
        source: 'hubspot',
        externalId: 'mail-nurture',
        kind: 'EMAIL_SENT',
        occurredAt: '2024-03-05T08:00:00Z',
        contactId: dana.contactId,
        utm: { source: 'hubspot', medium: 'email', campaign: 'nurture' },
        campaignId: 'nurture-q1',
        details: { messageId: 'msg-1', emailName: 'Nurture 1' },
      },
      {
        source: 'hubspot',
        externalId: 'mail-lucius',
        kind: 'EMAIL_SENT',
        occurredAt: '2024-03-04T08:00:00Z',
        contactId: lucius.contactId,
        details: { messageId: 'msg-2' },
      },
    ]);
    await mutate('scoreLead', { contactId: dana.contactId, score: 72, occurredAt: '2024-03-04T08:30:00Z' });
    await mutate('qualifyLead', { contactId: dana.contactId, stage: 'MQL', occurredAt: '2024-03-04T09:00:00Z' });
    await mutate('rejectLead', {
      contactId: dana.contactId,
      reason: 'NO_BUDGET',
      note: 'Budget frozen until Q3',
      rejectedBy: 'rep-ann',
      occurredAt: '2024-03-05T09:00:00Z',
    });
    await mutate('qualifyLead', { contactId: dana.contactId, stage: 'LEAD', reason: 'Back to nurture', occurredAt: '2024-03-06T09:00:00Z' });
    await mutate('qualifyLead', { contactId: dana.contactId, stage: 'MQL', occurredAt: '2024-03-10T09:00:00Z' });
    await mutate('acceptLead', { contactId: dana.contactId, acceptedBy: 'rep-bo', occurredAt: '2024-03-11T09:00:00Z' });
    await mutate('definePipeline', {
      pipelineId: 'enterprise',
      name: 'Enterprise',
      stages: [{ stageId: 'discovery', name: 'Discovery', order: 10, winProbability: 10 }],
      occurredAt: '2024-02-01T08:00:00Z',
    });
    await mutate('openOpportunity', {
      opportunityId: 'opp-wayne',
      name: 'Wayne security suite',
      accountId,
      ownerId: 'rep-bo',
      contactRoles: [{ contactId: dana.contactId, role: 'DECISION_MAKER' }],
      pipelineId: 'enterprise',
      stageId: 'discovery',
      amount: { amountMinor: 9_900_000, currency: 'USD' },
      expectedCloseDate: '2024-09-30',
      occurredAt: '2024-03-12T09:00:00Z',
    });
  });

  afterAll(async () => {
    await testApi?.close();
  });

  describe('contact', () => {
    it('answers the person with funnel times, sales verdicts, identity links and account', async () => {
      const response = await send(
        `query ($id: ID!, $minPosition: PositionInput) {
          contact(id: $id, minPosition: $minPosition) {
            id email firstName lastName jobTitle lifecycleStage score salesVerdict salesVerdictAt capturedAt accountId
            account { id name }
            lifecycleStages { stage firstEnteredAt lastEnteredAt entries }
            leadDecisions { decision reason note decidedBy decidedAt lifecycleStage }
            identityLinks { anonymousId linkedAt linkedBy }
          }
        }`,
        { id: dana.contactId, minPosition: written },
      );

      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({
        contact: {
          id: 'c-dana',
          email: 'dana@wayne-enterprises.com',
          firstName: 'Dana',
          lastName: 'Drake',
          jobTitle: 'CISO',
          lifecycleStage: 'MQL',
          score: 72,
          salesVerdict: 'ACCEPTED',
          salesVerdictAt: '2024-03-11T09:00:00.000Z',
          capturedAt: '2024-03-02T10:00:00.000Z',
          accountId,
          account: { id: accountId, name: 'Wayne Enterprises' },
          lifecycleStages: [
            { stage: 'LEAD', firstEnteredAt: '2024-03-02T10:00:00.000Z', lastEnteredAt: '2024-03-06T09:00:00.000Z', entries: 2 },
            { stage: 'MQL', firstEnteredAt: '2024-03-04T09:00:00.000Z', lastEnteredAt: '2024-03-10T09:00:00.000Z', entries: 2 },
          ],
          leadDecisions: [
            {
              decision: 'REJECTED',
              reason: 'NO_BUDGET',
              note: 'Budget frozen until Q3',
              decidedBy: 'rep-ann',
              decidedAt: '2024-03-05T09:00:00.000Z',
              lifecycleStage: 'MQL',
            },
            { decision: 'ACCEPTED', reason: null, note: null, decidedBy: 'rep-bo', decidedAt: '2024-03-11T09:00:00.000Z', lifecycleStage: 'MQL' },
          ],
          identityLinks: expect.arrayContaining([
            { anonymousId: 'ajs-dana', linkedAt: '2024-03-02T10:05:00.000Z', linkedBy: 'IDENTIFY' },
            { anonymousId: anonymousIdForEmail(dana.email), linkedAt: '2024-03-02T10:00:00.000Z', linkedBy: 'IDENTIFY' },
          ]),
        },
      });
      expect((response.data as { contact: { identityLinks: unknown[] } }).contact.identityLinks).toHaveLength(2);
    });

    it('answers null for an id no one has', async () => {
      const response = await send('{ contact(id: "c-nobody") { id } }');

      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ contact: null });
    });
  });

  describe('account', () => {
    it('answers the company with its firmographics, people and deals', async () => {
      const response = await send(
        `query ($id: ID!, $minPosition: PositionInput) {
          account(id: $id, minPosition: $minPosition) {
            id name domain industry employeeBand country annualRevenue { amountMinor currency } createdAt
            contacts { id firstName }
            opportunities { id name amount { amountMinor currency } contacts { role contact { firstName } } }
          }
        }`,
        { id: accountId, minPosition: written },
      );

      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({
        account: {
          id: accountId,
          name: 'Wayne Enterprises',
          domain: 'wayne-enterprises.com',
          industry: 'Conglomerate',
          employeeBand: '10001+',
          country: 'US',
          annualRevenue: { amountMinor: 3_500_000_000_000, currency: 'USD' },
          createdAt: '2024-02-01T08:00:00.000Z',
          contacts: [
            { id: 'c-dana', firstName: 'Dana' },
            { id: 'c-lucius', firstName: 'Lucius' },
          ],
          opportunities: [
            {
              id: 'opp-wayne',
              name: 'Wayne security suite',
              amount: { amountMinor: 9_900_000, currency: 'USD' },
              contacts: [{ role: 'DECISION_MAKER', contact: { firstName: 'Dana' } }],
            },
          ],
        },
      });
    });

    it('answers null for an id no company has', async () => {
      const response = await send('{ account(id: "no-such-company") { id } }');

      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ account: null });
    });
  });

  describe('journey', () => {
    it("answers the contact's touches in business-time order, the anonymous visits before identification stitched in", async () => {
      const response = await send(
        `query ($contactId: ID!, $minPosition: PositionInput) {
          journey(contactId: $contactId, minPosition: $minPosition) {
            id kind channel source occurredAt utmSource utmMedium utmCampaign utmContent utmTerm referrer campaignId
            interaction anonymous anonymousId
          }
        }`,
        { contactId: dana.contactId, minPosition: written },
      );

      const none = { utmSource: null, utmMedium: null, utmCampaign: null, utmContent: null, utmTerm: null, referrer: null, campaignId: null };
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({
        journey: [
          {
            ...none,
            id: touchpointIds['visit-blog'],
            kind: 'WEB_VISIT',
            channel: 'REFERRAL',
            source: 'wayne-web',
            occurredAt: '2024-02-28T10:00:00.000Z',
            referrer: 'https://news.example/',
            interaction: true,
            anonymous: true,
            anonymousId: 'ajs-dana',
          },
          {
            ...none,
            id: touchpointIds['visit-pricing'],
            kind: 'WEB_VISIT',
            channel: 'PAID_SEARCH',
            source: 'wayne-web',
            occurredAt: '2024-03-01T09:00:00.000Z',
            utmSource: 'google',
            utmMedium: 'cpc',
            utmCampaign: 'security-q1',
            interaction: true,
            anonymous: true,
            anonymousId: 'ajs-dana',
          },
          {
            ...none,
            id: touchpointIds['form-demo'],
            kind: 'FORM_SUBMISSION',
            channel: 'DIRECT',
            source: 'wayne-web',
            occurredAt: '2024-03-03T11:00:00.000Z',
            interaction: true,
            anonymous: false,
            anonymousId: null,
          },
          {
            ...none,
            id: touchpointIds['mail-nurture'],
            kind: 'EMAIL_SENT',
            channel: 'EMAIL',
            source: 'hubspot',
            occurredAt: '2024-03-05T08:00:00.000Z',
            utmSource: 'hubspot',
            utmMedium: 'email',
            utmCampaign: 'nurture',
            campaignId: 'nurture-q1',
            interaction: false,
            anonymous: false,
            anonymousId: null,
          },
        ],
      });
    });

    it('answers an empty journey for a contact with no touches', async () => {
      const response = await send('{ journey(contactId: "c-nobody") { id } }');

      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ journey: [] });
    });
  });
});
