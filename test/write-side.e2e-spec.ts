import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anonymousIdForEmail } from '@revops/domain';
import { EventStore, verifyChain, type RecordedEnvelope } from '@revops/event-store';
import { startApi, type RunningApi } from '../apps/api/src/bootstrap';
import { graphqlClient, type GraphqlError, type GraphqlResponse } from './support/graphql-client';
import { usePostgres, type PostgresHandle } from './support/postgres';

// Starting the stores (a first embedded PostgreSQL start initialises a cluster) takes seconds.
jest.setTimeout(120_000);

type Receipt = {
  streamName: string;
  streamRevision: string;
  position: { commit: string; prepare: string };
  eventsWritten: number;
  [id: string]: unknown;
};

const receiptFields = 'streamName streamRevision position { commit prepare } eventsWritten';

/** What each mutation is asked to return: the ids it made and where it wrote. */
const selections = {
  definePipeline: `pipelineId ${receiptFields}`,
  createCampaign: `campaignId ${receiptFields}`,
  recordCampaignSpend: `campaignId ${receiptFields}`,
  createAccount: `accountId ${receiptFields}`,
  associateContactWithAccount: `accountId ${receiptFields}`,
  captureLead: `contactId accountId ${receiptFields} account { ${receiptFields} }`,
  identify: `contactId ${receiptFields}`,
  scoreLead: `contactId ${receiptFields}`,
  qualifyLead: `contactId ${receiptFields}`,
  acceptLead: `contactId ${receiptFields}`,
  rejectLead: `contactId ${receiptFields}`,
  openOpportunity: `opportunityId ${receiptFields}`,
  changeOpportunityStage: `opportunityId ${receiptFields}`,
  changeOpportunityAmount: `opportunityId ${receiptFields}`,
  changeOpportunityCloseDate: `opportunityId ${receiptFields}`,
  addOpportunityContact: `opportunityId ${receiptFields}`,
  closeOpportunityWon: `opportunityId ${receiptFields}`,
  closeOpportunityLost: `opportunityId ${receiptFields}`,
  reopenOpportunity: `opportunityId ${receiptFields}`,
} as const;

type MutationName = keyof typeof selections;

const stages = [
  { stageId: 'discovery', name: 'Discovery', order: 10, winProbability: 10 },
  { stageId: 'demo', name: 'Demo', order: 20, winProbability: 30 },
  { stageId: 'proposal', name: 'Proposal', order: 30, winProbability: 60 },
  { stageId: 'negotiation', name: 'Negotiation', order: 40, winProbability: 80 },
];

describe('Write side over GraphQL', () => {
  let dataDir: string;
  let postgres: PostgresHandle;
  let api: RunningApi;
  let store: EventStore;
  let send: ReturnType<typeof graphqlClient>;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'revops-write-side-e2e-'));
    postgres = await usePostgres();
    api = await startApi({
      PORT: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: postgres.url,
      EVENTSTORE_URL: process.env.EVENTSTORE_URL,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
    });
    // The official client, connected on its own, reads back what the api wrote.
    store = new EventStore({ connectionString: api.runtime.eventStore.connectionString });
    send = graphqlClient(api.url);
  });

  afterAll(async () => {
    await store?.close();
    await api?.close();
    await postgres?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  function mutate(name: MutationName, input: Record<string, unknown>, headers: Record<string, string> = {}) {
    const inputType = `${name[0].toUpperCase()}${name.slice(1)}Input`;
    const query = `mutation ($input: ${inputType}!) { ${name}(input: $input) { ${selections[name]} } }`;
    return send<Record<string, Receipt>>(query, { input }, headers);
  }

  async function accepted(name: MutationName, input: Record<string, unknown>, headers: Record<string, string> = {}) {
    const response = await mutate(name, input, headers);
    expect(response.errors).toBeUndefined();
    return (response.data as Record<string, Receipt>)[name];
  }

  function refusal(response: GraphqlResponse<unknown>): GraphqlError {
    expect(response.errors).toHaveLength(1);
    return (response.errors as GraphqlError[])[0];
  }

  async function eventsOf(streamName: string): Promise<RecordedEnvelope[]> {
    const events: RecordedEnvelope[] = [];
    // As stored: the hash chain covers the data as written.
    for await (const event of store.readStream(streamName, { upcast: false })) events.push(event);
    return events;
  }

  /** Runs a refused request and checks that the log did not move. */
  async function expectNothingWritten(refused: () => Promise<void>): Promise<void> {
    const before = await store.headPosition();
    await refused();
    expect(await store.headPosition()).toEqual(before);
  }

  const positionOf = (event: RecordedEnvelope) => ({
    commit: event.position.commit.toString(),
    prepare: event.position.prepare.toString(),
  });

  describe('a deal from a web form to closed won', () => {
    const correlationId = `deal-story-${randomUUID()}`;
    const pipelineId = `new-business-${randomUUID()}`;
    const touchpointId = randomUUID();
    const email = 'ada.lovelace@acme-robotics.com';

    type Step = { at: string; actor: string | null };
    const steps = {
      definePipeline: { at: '2024-03-01T08:00:00.000Z', actor: 'revops-admin' },
      captureLead: { at: '2024-03-04T10:15:00.000Z', actor: null },
      identify: { at: '2024-03-04T10:15:30.000Z', actor: null },
      qualifyLead: { at: '2024-03-06T09:00:00.000Z', actor: 'marketer-li' },
      acceptLead: { at: '2024-03-07T14:00:00.000Z', actor: 'rep-ada' },
      captureColleague: { at: '2024-03-08T10:00:00.000Z', actor: 'rep-ada' },
      openOpportunity: { at: '2024-03-08T11:00:00.000Z', actor: 'rep-ada' },
      moveToDemo: { at: '2024-03-15T16:20:00.000Z', actor: 'rep-ada' },
      moveToProposal: { at: '2024-03-22T09:00:00.000Z', actor: 'rep-ada' },
      changeAmount: { at: '2024-03-25T12:00:00.000Z', actor: 'rep-ada' },
      changeCloseDate: { at: '2024-03-26T12:00:00.000Z', actor: 'rep-ada' },
      addContact: { at: '2024-03-27T12:00:00.000Z', actor: 'rep-ada' },
      closeWon: { at: '2024-04-30T17:45:00.000Z', actor: 'rep-ada' },
    } satisfies Record<string, Step>;
    type StepName = keyof typeof steps;

    const receipts = {} as Record<StepName, Receipt>;
    let contactId: string;
    let colleagueId: string;
    let accountId: string;
    let opportunityId: string;

    async function step(name: StepName, mutation: MutationName, input: Record<string, unknown>, occurredAt: string = steps[name].at) {
      const { actor } = steps[name];
      const headers = { 'x-correlation-id': correlationId, ...(actor && { 'x-actor-id': actor }) };
      receipts[name] = await accepted(mutation, { ...input, occurredAt }, headers);
      return receipts[name];
    }

    beforeAll(async () => {
      await step('definePipeline', 'definePipeline', { pipelineId, name: 'New business', stages });
      const lead = await step('captureLead', 'captureLead', {
        email,
        firstName: 'Ada',
        lastName: 'Lovelace',
        jobTitle: 'Head of Operations',
        companyName: 'Acme Robotics',
        convertingTouch: { touchpointId, source: 'hubspot', campaignId: 'spring-webinar-2024' },
      });
      contactId = lead.contactId as string;
      accountId = lead.accountId as string;
      await step('identify', 'identify', { contactId, anonymousId: 'cookie-7f3a9c' });
      await step('qualifyLead', 'qualifyLead', { contactId, stage: 'MQL' });
      await step('acceptLead', 'acceptLead', { contactId });
      const colleague = await step('captureColleague', 'captureLead', { email: 'grace@acme-robotics.com', firstName: 'Grace' });
      colleagueId = colleague.contactId as string;
      const opened = await step('openOpportunity', 'openOpportunity', {
        name: 'Acme Robotics – fleet rollout',
        accountId,
        contactRoles: [{ contactId, role: 'CHAMPION' }],
        pipelineId,
        stageId: 'discovery',
        // Beyond GraphQL's 32-bit Int: SafeInt carries it exactly.
        amount: { amountMinor: 2_500_000_000, currency: 'EUR' },
        expectedCloseDate: '2024-06-28',
      });
      opportunityId = opened.opportunityId as string;
      // Any zero offset is UTC; it is stored in the canonical form.
      await step('moveToDemo', 'changeOpportunityStage', { opportunityId, stageId: 'demo' }, '2024-03-15T16:20:00+00:00');
      await step('moveToProposal', 'changeOpportunityStage', { opportunityId, stageId: 'proposal' });
      await step('changeAmount', 'changeOpportunityAmount', { opportunityId, amount: { amountMinor: 2_750_000_000, currency: 'EUR' } });
      await step('changeCloseDate', 'changeOpportunityCloseDate', { opportunityId, expectedCloseDate: '2024-05-15' });
      await step('addContact', 'addOpportunityContact', { opportunityId, contactId: colleagueId, role: 'DECISION_MAKER' });
      await step('closeWon', 'closeOpportunityWon', { opportunityId, wonAmount: { amountMinor: 2_750_000_000, currency: 'EUR' } });
    });

    /** Which step wrote each event of each stream, in stream order. */
    function expectedStreams(): Record<string, [StepName, string][]> {
      return {
        [`pipeline-${pipelineId}`]: [['definePipeline', 'PipelineDefined']],
        [`contact-${contactId}`]: [
          ['captureLead', 'LeadCaptured'],
          ['captureLead', 'IdentityLinked'],
          ['identify', 'IdentityLinked'],
          ['qualifyLead', 'LifecycleStageChanged'],
          ['acceptLead', 'LeadAcceptedBySales'],
        ],
        [`account-${accountId}`]: [
          ['captureLead', 'AccountCreated'],
          ['captureLead', 'ContactAssociated'],
          ['captureColleague', 'ContactAssociated'],
        ],
        [`contact-${colleagueId}`]: [
          ['captureColleague', 'LeadCaptured'],
          ['captureColleague', 'IdentityLinked'],
        ],
        [`opportunity-${opportunityId}`]: [
          ['openOpportunity', 'OpportunityOpened'],
          ['moveToDemo', 'StageChanged'],
          ['moveToProposal', 'StageChanged'],
          ['changeAmount', 'AmountChanged'],
          ['changeCloseDate', 'CloseDateChanged'],
          ['addContact', 'ContactRoleAdded'],
          ['closeWon', 'ClosedWon'],
        ],
      };
    }

    it('writes the expected events to each stream', async () => {
      for (const [streamName, expected] of Object.entries(expectedStreams())) {
        const events = await eventsOf(streamName);
        expect({ streamName, types: events.map((event) => event.type) }).toEqual({ streamName, types: expected.map(([, type]) => type) });
      }
    });

    it('records the lead, its identities, its qualification and sales acceptance', async () => {
      const events = await eventsOf(`contact-${contactId}`);

      expect(events.map((event) => event.data)).toEqual([
        {
          contactId,
          details: {
            email,
            firstName: 'Ada',
            lastName: 'Lovelace',
            jobTitle: 'Head of Operations',
            phone: null,
            companyName: 'Acme Robotics',
          },
          lifecycleStage: 'lead',
          convertingTouch: { touchpointId, source: 'hubspot', campaignId: 'spring-webinar-2024' },
          capturedAt: steps.captureLead.at,
        },
        { contactId, anonymousId: anonymousIdForEmail(email), linkedAt: steps.captureLead.at },
        { contactId, anonymousId: 'cookie-7f3a9c', linkedAt: steps.identify.at },
        { contactId, from: 'lead', to: 'mql', reason: null, changedAt: steps.qualifyLead.at },
        { contactId, acceptedBy: 'rep-ada', acceptedAt: steps.acceptLead.at },
      ]);
    });

    it("files both leads under their company's account, created by the first", async () => {
      const events = await eventsOf(`account-${accountId}`);

      expect(events.map((event) => event.data)).toEqual([
        {
          accountId,
          name: 'Acme Robotics',
          domain: 'acme-robotics.com',
          firmographics: { industry: null, employeeBand: null, country: null, annualRevenue: null },
          createdAt: steps.captureLead.at,
        },
        { accountId, contactId, matchedBy: 'email_domain', emailDomain: 'acme-robotics.com', associatedAt: steps.captureLead.at },
        {
          accountId,
          contactId: colleagueId,
          matchedBy: 'email_domain',
          emailDomain: 'acme-robotics.com',
          associatedAt: steps.captureColleague.at,
        },
      ]);
    });

    it('records the deal from opening to closed won', async () => {
      const events = await eventsOf(`opportunity-${opportunityId}`);
      const deal = { amountMinor: 2_500_000_000, currency: 'EUR' };
      const raised = { amountMinor: 2_750_000_000, currency: 'EUR' };

      expect(events.map((event) => event.data)).toEqual([
        {
          opportunityId,
          name: 'Acme Robotics – fleet rollout',
          accountId,
          contactRoles: [{ contactId, role: 'CHAMPION' }],
          pipelineId,
          pipelineRevision: 1,
          stageId: 'discovery',
          amount: deal,
          expectedCloseDate: '2024-06-28',
          ownerId: 'rep-ada',
          openedAt: steps.openOpportunity.at,
        },
        { opportunityId, fromStageId: 'discovery', toStageId: 'demo', pipelineRevision: 1, changedAt: steps.moveToDemo.at },
        { opportunityId, fromStageId: 'demo', toStageId: 'proposal', pipelineRevision: 1, changedAt: steps.moveToProposal.at },
        { opportunityId, from: deal, to: raised, changedAt: steps.changeAmount.at },
        { opportunityId, from: '2024-06-28', to: '2024-05-15', changedAt: steps.changeCloseDate.at },
        { opportunityId, contactId: colleagueId, role: 'DECISION_MAKER', addedAt: steps.addContact.at },
        { opportunityId, wonAmount: raised, stageId: 'proposal', closedAt: steps.closeWon.at },
      ]);
    });

    it('stamps every event with the correlation id sent, the actor, source api, the business time and schema version', async () => {
      for (const [streamName, expected] of Object.entries(expectedStreams())) {
        const events = await eventsOf(streamName);
        events.forEach((event, index) => {
          const { at, actor } = steps[expected[index][0]];
          expect({ streamName, type: event.type, metadata: event.metadata }).toEqual({
            streamName,
            type: event.type,
            metadata: {
              $correlationId: correlationId,
              $causationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
              actor: { type: 'user', id: actor ?? 'anonymous' },
              source: 'api',
              occurredAt: at,
              schemaVersion: 1,
              prevHash: index === 0 ? null : events[index - 1].metadata.hash,
              hash: expect.stringMatching(/^[0-9a-f]{64}$/),
            },
          });
        });
      }
    });

    it('gives each command one causation id of its own, shared by every event it caused', async () => {
      const causationsByStep = new Map<StepName, Set<string>>();
      for (const [streamName, expected] of Object.entries(expectedStreams())) {
        (await eventsOf(streamName)).forEach((event, index) => {
          const step = expected[index][0];
          causationsByStep.set(step, (causationsByStep.get(step) ?? new Set()).add(event.metadata.$causationId));
        });
      }

      const perStep = [...causationsByStep.values()];
      expect(perStep.every((ids) => ids.size === 1)).toBe(true);
      expect(new Set(perStep.flatMap((ids) => [...ids])).size).toBe(Object.keys(steps).length);
    });

    it("keeps every stream's hash chain intact", async () => {
      for (const streamName of Object.keys(expectedStreams())) {
        const events = await eventsOf(streamName);
        expect({ streamName, verification: verifyChain(events) }).toEqual({
          streamName,
          verification: { valid: true, checked: events.length, lastHash: events[events.length - 1].metadata.hash },
        });
      }
    });

    it('answers each mutation with the ids it made and the revision and commit position of what it wrote', async () => {
      for (const [streamName, expected] of Object.entries(expectedStreams())) {
        const events = await eventsOf(streamName);
        const lastEventOfStep = new Map(expected.map(([step], index) => [step, events[index]] as const));
        for (const [step, event] of lastEventOfStep) {
          const receipt = receipts[step];
          const write = receipt.streamName === streamName ? receipt : (receipt.account as Receipt);
          expect({ step, ...write }).toEqual({
            step,
            ...write,
            streamName,
            streamRevision: event.revision.toString(),
            position: positionOf(event),
            eventsWritten: expected.filter(([writer]) => writer === step).length,
          });
        }
      }
      expect(receipts.captureLead).toMatchObject({ contactId, accountId, streamName: `contact-${contactId}` });
      expect(contactId).toMatch(/^[0-9a-f-]{36}$/);
      expect(opportunityId).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('accounts', () => {
    it('lets a lead at an existing company domain join the account created for it', async () => {
      const created = await accepted('createAccount', {
        name: 'Globex',
        domain: 'www.globex.com',
        firmographics: { industry: 'Manufacturing', employeeBand: '1001-5000', country: 'US' },
      });
      const lead = await accepted('captureLead', { email: 'hank@eu.globex.com' });

      expect(lead.accountId).toBe(created.accountId);
      expect((await eventsOf(created.streamName)).map((event) => event.type)).toEqual(['AccountCreated', 'ContactAssociated']);
    });

    it('files a lead at a free-mail address under no account, until someone associates it by hand', async () => {
      const lead = await accepted('captureLead', { email: 'someone.private@gmail.com', lifecycleStage: 'SUBSCRIBER' });
      expect(lead).toMatchObject({ accountId: null, account: null, eventsWritten: 2 });

      const { accountId } = await accepted('createAccount', { accountId: 'crm-account-4711', name: 'Vandelay', domain: 'vandelay.com' });
      const associated = await accepted('associateContactWithAccount', { accountId, contactId: lead.contactId });

      expect(associated).toMatchObject({ accountId: 'crm-account-4711', streamName: 'account-crm-account-4711', eventsWritten: 1 });
      expect((await eventsOf('account-crm-account-4711'))[1].data).toMatchObject({ contactId: lead.contactId, matchedBy: 'explicit' });
    });
  });

  describe('sales feedback and lost deals', () => {
    const rep = { 'x-actor-id': 'rep-dee' };

    it('records a score and a rejection with its reason for marketing', async () => {
      const { contactId } = await accepted('captureLead', { email: 'milton@initrode.com', occurredAt: '2024-05-02T08:00:00Z' });
      await accepted('scoreLead', { contactId, score: 35, occurredAt: '2024-05-02T08:05:00Z' });
      await accepted('qualifyLead', { contactId, stage: 'SQL', occurredAt: '2024-05-03T08:00:00Z' }, rep);
      const rejection = { contactId, reason: 'NO_BUDGET', note: 'Budget frozen until Q4', occurredAt: '2024-05-04T08:00:00Z' };
      await accepted('rejectLead', rejection, rep);

      const events = await eventsOf(`contact-${contactId}`);
      expect(events.slice(2).map((event) => [event.type, event.data])).toEqual([
        ['LeadScored', { contactId, score: 35, previousScore: null, scoredAt: '2024-05-02T08:05:00.000Z' }],
        ['LifecycleStageChanged', { contactId, from: 'lead', to: 'sql', reason: null, changedAt: '2024-05-03T08:00:00.000Z' }],
        [
          'LeadRejectedBySales',
          { contactId, reason: 'NO_BUDGET', note: 'Budget frozen until Q4', rejectedBy: 'rep-dee', rejectedAt: '2024-05-04T08:00:00.000Z' },
        ],
      ]);
    });

    it('reopens a lost deal into a stage of its pipeline', async () => {
      const { pipelineId } = await accepted('definePipeline', { name: 'Mid-market', stages });
      const { accountId } = await accepted('createAccount', { name: 'Hooli', domain: 'hooli.com' });
      const { opportunityId, streamName } = await accepted(
        'openOpportunity',
        {
          name: 'Hooli pilot',
          accountId,
          pipelineId,
          stageId: 'demo',
          amount: { amountMinor: 1_200_000, currency: 'USD' },
          expectedCloseDate: '2024-07-31',
          occurredAt: '2024-05-01T09:00:00Z',
        },
        rep,
      );
      await accepted('closeOpportunityLost', { opportunityId, reason: 'COMPETITOR', occurredAt: '2024-05-20T09:00:00Z' }, rep);
      const reopening = { opportunityId, stageId: 'proposal', reason: 'Competitor pulled out', occurredAt: '2024-06-03T09:00:00Z' };
      await accepted('reopenOpportunity', reopening, rep);

      const events = await eventsOf(streamName);
      expect(events.slice(1).map((event) => [event.type, event.data])).toEqual([
        ['ClosedLost', { opportunityId, reason: 'COMPETITOR', note: null, stageId: 'demo', closedAt: '2024-05-20T09:00:00.000Z' }],
        [
          'Reopened',
          {
            opportunityId,
            previousOutcome: 'lost',
            stageId: 'proposal',
            pipelineRevision: 1,
            reason: 'Competitor pulled out',
            reopenedAt: '2024-06-03T09:00:00.000Z',
          },
        ],
      ]);
    });
  });

  describe('campaigns', () => {
    it('records spend once per day and source, and a new figure as a correction', async () => {
      const { campaignId } = await accepted('createCampaign', {
        name: 'Spring webinar 2024',
        channel: 'EVENTS',
        utm: { source: 'LinkedIn', medium: 'paid_social', campaign: 'Spring Webinar' },
        budget: { amountMinor: 5_000_000, currency: 'EUR' },
        startDate: '2024-03-01',
        endDate: '2024-04-30',
      });
      const spend = { campaignId, day: '2024-03-02', source: 'linkedin_ads', amount: { amountMinor: 125_000, currency: 'EUR' } };

      expect((await accepted('recordCampaignSpend', spend)).eventsWritten).toBe(1);
      expect((await accepted('recordCampaignSpend', spend)).eventsWritten).toBe(0);
      const restated = { ...spend, amount: { amountMinor: 131_500, currency: 'EUR' } };
      expect((await accepted('recordCampaignSpend', restated)).eventsWritten).toBe(1);

      const events = await eventsOf(`campaign-${campaignId}`);
      expect(events.map((event) => event.type)).toEqual(['CampaignCreated', 'CampaignSpendRecorded', 'CampaignSpendCorrected']);
      expect(events[0].data).toMatchObject({
        channel: 'events',
        utm: { source: 'linkedin', medium: 'paid_social', campaign: 'spring webinar', content: null, term: null },
      });
    });
  });

  describe('given bad input', () => {
    const rep = { 'x-actor-id': 'rep-bo' };
    let pipelineId: string;
    let accountId: string;
    let mqlId: string;
    let openId: string;
    let wonId: string;

    beforeAll(async () => {
      pipelineId = (await accepted('definePipeline', { name: 'Renewals', stages })).pipelineId as string;
      accountId = (await accepted('createAccount', { name: 'Initech', domain: 'initech.com' })).accountId as string;
      mqlId = (await accepted('captureLead', { email: 'peter@initech.com' })).contactId as string;
      await accepted('qualifyLead', { contactId: mqlId, stage: 'MQL' });
      const opening = {
        name: 'Initech renewal',
        accountId,
        pipelineId,
        stageId: 'discovery',
        amount: { amountMinor: 4_800_000, currency: 'USD' },
        expectedCloseDate: '2024-09-30',
      };
      openId = (await accepted('openOpportunity', opening, rep)).opportunityId as string;
      wonId = (await accepted('openOpportunity', opening, rep)).opportunityId as string;
      await accepted('closeOpportunityWon', { opportunityId: wonId, wonAmount: { amountMinor: 4_800_000, currency: 'USD' } });
    });

    it.each([
      ['a score that is not a number', 'scoreLead', () => ({ contactId: mqlId, score: 'high' }), 'score'],
      [
        'an amount with a fraction of a minor unit',
        'changeOpportunityAmount',
        () => ({ opportunityId: openId, amount: { amountMinor: 1250.5, currency: 'USD' } }),
        'amount.amountMinor',
      ],
      [
        'an amount given as text',
        'changeOpportunityAmount',
        () => ({ opportunityId: openId, amount: { amountMinor: '1250', currency: 'USD' } }),
        'amount.amountMinor',
      ],
      ['a stage id that is a list', 'changeOpportunityStage', () => ({ opportunityId: openId, stageId: ['demo'] }), 'stageId'],
      ['a missing required field', 'changeOpportunityStage', () => ({ opportunityId: openId }), 'stageId'],
    ] as const)('refuses %s with BAD_USER_INPUT naming the field', async (_case, mutation, input, field) => {
      await expectNothingWritten(async () => {
        const error = refusal(await mutate(mutation, input(), rep));
        expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', fieldErrors: [{ field, message: expect.any(String) }] });
      });
    });

    it('refuses a field the input does not have', async () => {
      const opportunityId = randomUUID();
      await expectNothingWritten(async () => {
        const response = await mutate(
          'openOpportunity',
          {
            opportunityId,
            name: 'With a discount',
            accountId,
            pipelineId,
            stageId: 'discovery',
            amount: { amountMinor: 100_000, currency: 'USD' },
            expectedCloseDate: '2024-09-30',
            discountPercent: 10,
          },
          rep,
        );
        expect(refusal(response).extensions).toEqual({
          code: 'BAD_USER_INPUT',
          fieldErrors: [{ field: 'discountPercent', message: 'Field "discountPercent" is not defined by type "OpenOpportunityInput".' }],
        });
      });
      expect(await eventsOf(`opportunity-${opportunityId}`)).toEqual([]);
    });

    it('refuses a currency that is not ISO 4217', async () => {
      await expectNothingWritten(async () => {
        const amount = { amountMinor: 100, currency: 'EURO' };
        const response = await mutate('changeOpportunityAmount', { opportunityId: openId, amount }, rep);
        expect(refusal(response).extensions).toEqual({
          code: 'BAD_USER_INPUT',
          fieldErrors: [{ field: 'amount.currency', message: 'currency must be an upper-case ISO 4217 currency code such as EUR' }],
        });
      });
    });

    it('refuses a negative amount', async () => {
      await expectNothingWritten(async () => {
        const amount = { amountMinor: -100, currency: 'USD' };
        const response = await mutate('changeOpportunityAmount', { opportunityId: openId, amount }, rep);
        expect(refusal(response).extensions).toEqual({
          code: 'BAD_USER_INPUT',
          fieldErrors: [{ field: 'amount.amountMinor', message: 'amountMinor must not be less than 0' }],
        });
      });
    });

    it('reports every bad field of one input together', async () => {
      const opportunityId = randomUUID();
      await expectNothingWritten(async () => {
        const response = await mutate(
          'openOpportunity',
          {
            opportunityId,
            name: '   ',
            accountId,
            pipelineId,
            stageId: 'discovery',
            amount: { amountMinor: -1, currency: 'usd' },
            expectedCloseDate: '2024-02-30',
            occurredAt: '2024-03-01T09:30:00+01:00',
          },
          rep,
        );
        expect(refusal(response).extensions.fieldErrors?.map((error) => error.field).sort()).toEqual([
          'amount.amountMinor',
          'amount.currency',
          'expectedCloseDate',
          'name',
          'occurredAt',
        ]);
      });
      expect(await eventsOf(`opportunity-${opportunityId}`)).toEqual([]);
    });

    it('refuses a stage the pipeline does not have', async () => {
      await expectNothingWritten(async () => {
        const response = await mutate('changeOpportunityStage', { opportunityId: openId, stageId: 'signed' }, rep);
        expect(refusal(response)).toMatchObject({
          path: ['changeOpportunityStage'],
          extensions: { code: 'UNKNOWN_STAGE', fieldErrors: [{ field: 'stageId', message: expect.stringContaining('signed') }] },
        });
      });
    });

    it('refuses to change a closed deal', async () => {
      const before = await eventsOf(`opportunity-${wonId}`);
      await expectNothingWritten(async () => {
        const response = await mutate('changeOpportunityCloseDate', { opportunityId: wonId, expectedCloseDate: '2024-12-31' }, rep);
        expect(refusal(response)).toMatchObject({
          message: expect.stringContaining('closed won'),
          extensions: { code: 'OPPORTUNITY_ALREADY_CLOSED' },
        });
      });
      expect(await eventsOf(`opportunity-${wonId}`)).toHaveLength(before.length);
    });

    it('answers NOT_FOUND for an opportunity that does not exist', async () => {
      const opportunityId = randomUUID();
      await expectNothingWritten(async () => {
        const response = await mutate('changeOpportunityStage', { opportunityId, stageId: 'demo' }, rep);
        expect(refusal(response)).toMatchObject({
          message: `Opportunity ${opportunityId} does not exist`,
          extensions: { code: 'NOT_FOUND' },
        });
      });
      expect(await eventsOf(`opportunity-${opportunityId}`)).toEqual([]);
    });

    it('answers NOT_FOUND when opening a deal for an account that does not exist', async () => {
      await expectNothingWritten(async () => {
        const response = await mutate(
          'openOpportunity',
          {
            name: 'Nobody',
            accountId: 'no-such-account',
            pipelineId,
            stageId: 'discovery',
            amount: { amountMinor: 1, currency: 'USD' },
            expectedCloseDate: '2024-09-30',
          },
          rep,
        );
        expect(refusal(response).extensions).toEqual({ code: 'NOT_FOUND' });
      });
    });

    it('refuses a rejection for OTHER reasons without a note, naming the note', async () => {
      const before = await eventsOf(`contact-${mqlId}`);
      await expectNothingWritten(async () => {
        const response = await mutate('rejectLead', { contactId: mqlId, reason: 'OTHER' }, rep);
        expect(refusal(response).extensions).toEqual({
          code: 'BAD_USER_INPUT',
          fieldErrors: [{ field: 'note', message: 'note is required when the reason is OTHER' }],
        });
      });
      expect(await eventsOf(`contact-${mqlId}`)).toHaveLength(before.length);
    });

    it('asks an anonymous caller to say who accepts a lead', async () => {
      await expectNothingWritten(async () => {
        const response = await mutate('acceptLead', { contactId: mqlId });
        expect(refusal(response).extensions).toEqual({
          code: 'BAD_USER_INPUT',
          fieldErrors: [{ field: 'acceptedBy', message: 'acceptedBy is required when the request names no actor (x-actor-id header)' }],
        });
      });
    });
  });

  describe('when many stage changes hit one opportunity at once', () => {
    it('lands each of them or answers CONFLICT, and the stream stays consistent', async () => {
      const rep = { 'x-actor-id': 'rep-cy' };
      const pipelineId = (await accepted('definePipeline', { name: 'Contention', stages })).pipelineId as string;
      const { accountId } = await accepted('createAccount', { name: 'Umbrella', domain: 'umbrella-corp.com' });
      const { opportunityId, streamName } = await accepted(
        'openOpportunity',
        {
          name: 'Umbrella expansion',
          accountId,
          pipelineId,
          stageId: 'discovery',
          amount: { amountMinor: 990_000, currency: 'GBP' },
          expectedCloseDate: '2024-12-31',
        },
        rep,
      );
      const targets = Array.from({ length: 24 }, (_, index) => stages[1 + (index % 3)].stageId);

      const responses = await Promise.all(
        targets.map((stageId) => mutate('changeOpportunityStage', { opportunityId, stageId }, rep)),
      );

      const landed = responses.filter((response) => response.errors === undefined);
      const refused = responses.flatMap((response) => response.errors ?? []);
      expect(landed.length + refused.length).toBe(targets.length);
      expect(landed.length).toBeGreaterThan(0);
      expect(refused.every((error) => error.extensions.code === 'CONFLICT')).toBe(true);

      const events = await eventsOf(streamName);
      const changes = events.slice(1);
      const receipts = landed.map((response) => (response.data as Record<string, Receipt>).changeOpportunityStage);
      const written = receipts.reduce((sum, receipt) => sum + receipt.eventsWritten, 0);
      expect(changes).toHaveLength(written);
      expect(events.map((event) => event.revision)).toEqual(events.map((_, index) => BigInt(index)));
      expect(verifyChain(events).valid).toBe(true);
      // Each change starts where the one before it ended: no decision was taken on stale state.
      let current = 'discovery';
      for (const change of changes) {
        const { fromStageId, toStageId } = change.data as { fromStageId: string; toStageId: string };
        expect(fromStageId).toBe(current);
        current = toStageId;
      }
    });
  });
});
