import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { anonymousIdForEmail, derivedTouchpointId } from '@revops/domain';
import { EventStore, type RecordedEnvelope } from '@revops/event-store';
import { startApi, type RunningApi } from '../apps/api/src/bootstrap';
import { usePostgres, type PostgresHandle } from './support/postgres';

// Starting the stores (a first embedded PostgreSQL start initialises a cluster) takes seconds.
jest.setTimeout(120_000);

const environment = (dataDir: string, overrides: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
  PORT: '0',
  DATA_DIR: dataDir,
  EVENTSTORE_URL: process.env.EVENTSTORE_URL,
  LOG_LEVEL: 'silent',
  NODE_ENV: 'test',
  ...overrides,
});

/** A person of one test alone, so streams never mix between tests. */
const person = () => `visitor-${randomUUID()}`;

const visit = (anonymousId: string, overrides: Record<string, unknown> = {}) => ({
  touchpointId: randomUUID(),
  source: 'acme-site',
  kind: 'WEB_VISIT',
  occurredAt: '2024-03-01T09:15:00Z',
  anonymousId,
  details: { pageUrl: 'https://acme.example/pricing' },
  ...overrides,
});

const RECORD_TOUCHPOINTS = `
  mutation Record($touchpoints: [TouchpointInput!]!) {
    recordTouchpoints(touchpoints: $touchpoints) { accepted rejected { index errors { field code message } } }
  }`;

describe('Touchpoint ingestion', () => {
  let dataDir: string;
  let postgres: PostgresHandle;
  let api: RunningApi;
  let store: EventStore;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'revops-ingestion-e2e-'));
    postgres = await usePostgres();
    api = await startApi(environment(dataDir, { DATABASE_URL: postgres.url }));
    store = new EventStore({ connectionString: api.runtime.eventStore.connectionString });
  });

  afterAll(async () => {
    await store?.close();
    await api?.close();
    await postgres?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const post = (body: string | Buffer, contentType = 'application/json') =>
    request(api.url).post('/v1/touchpoints').set('Content-Type', contentType).send(body);

  const postBatch = (touchpoints: unknown[]) => post(JSON.stringify(touchpoints));

  const journey = async (personKey: string): Promise<RecordedEnvelope[]> => {
    const events: RecordedEnvelope[] = [];
    for await (const event of store.readStream(`journey-${personKey}`)) events.push(event);
    return events;
  };

  const eventIdsOf = async (personKey: string) => (await journey(personKey)).map((event) => event.eventId);

  describe('a mixed batch', () => {
    it('stores the valid touchpoints in their journeys with the envelope, and reports the others by index', async () => {
      const visitor = person();
      const contactId = `contact-${randomUUID()}`;
      const email = `ada.${randomUUID()}@acme.example`;
      const adClick = visit(visitor, {
        kind: 'AD_CLICK',
        utm: { source: 'google', medium: 'cpc', campaign: 'Spring Launch' },
        details: { adPlatform: 'google_ads', clickId: 'Cj0KCQjw' },
      });
      const call = visit(visitor, {
        kind: 'CALL',
        anonymousId: undefined,
        contactId,
        occurredAt: '2024-03-04T14:00:00.250Z',
        details: { durationSeconds: 754, outcome: 'connected', direction: 'outbound' },
      });
      const emailOpen = {
        source: 'HubSpot',
        externalId: `open-${randomUUID()}`,
        kind: 'EMAIL_OPEN',
        occurredAt: '2024-03-02T08:00:00Z',
        email: email.toUpperCase(),
        details: { messageId: '<nurture-3@mail.acme.example>' },
      };
      const batch = [
        adClick,
        visit(visitor, { occurredAt: '1 March 2024' }),
        call,
        visit(visitor, { visitorScore: 7, details: { pageUrl: 'https://acme.example/', durationSeconds: 30 } }),
        emailOpen,
        visit(visitor, { kind: 'DEMO', details: { attendees: 'ada' } }),
      ];

      const response = await request(api.url)
        .post('/v1/touchpoints')
        .set('x-correlation-id', 'campaign-sync-42')
        .set('x-integration-id', 'Acme-Site')
        .send(batch);

      const emailOpenId = derivedTouchpointId('hubspot', emailOpen.externalId);
      expect(response.status).toBe(207);
      expect(response.body).toEqual({
        accepted: [adClick.touchpointId, call.touchpointId, emailOpenId],
        position: expect.objectContaining({ commit: expect.stringMatching(/^\d+$/) }),
        rejected: [
          {
            index: 1,
            errors: [
              {
                field: 'occurredAt',
                code: 'INVALID_TIMESTAMP',
                message: 'occurredAt must be an ISO-8601 UTC timestamp such as 2024-03-01T09:30:00Z',
              },
            ],
          },
          {
            index: 3,
            errors: [
              { field: 'visitorScore', code: 'UNKNOWN_FIELD', message: 'visitorScore is not a known field of a touchpoint' },
              {
                field: 'details.durationSeconds',
                code: 'UNKNOWN_FIELD',
                message: 'details.durationSeconds is not a known field of WEB_VISIT details',
              },
            ],
          },
          {
            index: 5,
            errors: [{ field: 'details.attendees', code: 'INVALID_TYPE', message: 'details.attendees must be an array' }],
          },
        ],
      });

      const [storedClick] = await journey(`anon-${visitor}`);
      expect(await eventIdsOf(`anon-${visitor}`)).toEqual([adClick.touchpointId]);
      expect(storedClick).toMatchObject({
        type: 'TouchpointRecorded',
        data: { kind: 'AD_CLICK', channel: 'paid_search', utm: { source: 'google', medium: 'cpc', campaign: 'spring launch' } },
        metadata: {
          $correlationId: 'campaign-sync-42',
          actor: { type: 'integration', id: 'acme-site' },
          source: 'tracker',
          occurredAt: '2024-03-01T09:15:00.000Z',
          schemaVersion: 1,
        },
      });
      const [storedCall] = await journey(contactId);
      expect(storedCall).toMatchObject({
        eventId: call.touchpointId,
        data: { kind: 'CALL', contactId, details: { durationSeconds: 754, outcome: 'connected', direction: 'outbound' } },
        metadata: { occurredAt: '2024-03-04T14:00:00.250Z', $causationId: storedClick.metadata.$causationId },
      });
      const [storedOpen] = await journey(`anon-${anonymousIdForEmail(email)}`);
      expect(storedOpen).toMatchObject({ eventId: emailOpenId, data: { email, source: 'hubspot', externalId: emailOpen.externalId } });
      // The highest position of the batch, to wait on read models with.
      const highest = [storedClick, storedCall, storedOpen]
        .map((event) => event.position)
        .reduce((a, b) => (a.commit > b.commit ? a : b));
      expect(response.body.position).toEqual({ commit: String(highest.commit), prepare: String(highest.prepare) });
    });

    it('answers 200 when every touchpoint was stored', async () => {
      const visitor = person();
      const batch = [visit(visitor), visit(visitor)];

      const response = await postBatch(batch);

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ accepted: batch.map((touch) => touch.touchpointId), rejected: [] });
    });

    it('names the sender by the touch source when no integration id is given, and refuses an unknown event source', async () => {
      const visitor = person();
      await request(api.url).post('/v1/touchpoints').set('x-integration-id', 'not a slug!').set('x-event-source', 'crm-webhook').send([visit(visitor)]);

      const [stored] = await journey(`anon-${visitor}`);
      expect(stored.metadata).toMatchObject({ actor: { type: 'integration', id: 'acme-site' }, source: 'crm-webhook' });

      const refused = await request(api.url).post('/v1/touchpoints').set('x-event-source', 'carrier-pigeon').send([visit(visitor)]);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ code: 'INVALID_HEADER', message: expect.stringContaining('x-event-source must be one of tracker, crm-webhook, import') });
    });
  });

  describe('a body that is not a batch', () => {
    it.each([
      ['malformed JSON', (touch: string) => `[${touch},`, 'MALFORMED_JSON', /^The request body is not valid JSON: /],
      ['a single object', (touch: string) => touch, 'NOT_A_BATCH', /^The request body must be a JSON array of touchpoints/],
    ])('is refused whole when it is %s, and nothing is stored', async (_, bodyOf, code, message) => {
      const visitor = person();

      const response = await post(bodyOf(JSON.stringify(visit(visitor))));

      expect(response.status).toBe(400);
      expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', code, message: expect.stringMatching(message) });
      expect(await journey(`anon-${visitor}`)).toEqual([]);
    });

    it('is refused whole above 1,000 touchpoints, naming the limit, and nothing is stored', async () => {
      const visitor = person();
      const batch = Array.from({ length: 1001 }, () => visit(visitor));

      const response = await postBatch(batch);

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'TOO_MANY_ITEMS', limit: 1000, message: expect.stringContaining('at most 1000 touchpoints') });
      expect(await journey(`anon-${visitor}`)).toEqual([]);
    });

    it('is refused with 413 above 512 KiB, naming the limit, and nothing is stored', async () => {
      const visitor = person();
      const longUrl = `https://acme.example/?q=${'x'.repeat(2_000)}`;
      const batch = Array.from({ length: 300 }, () => visit(visitor, { referrer: longUrl, landingPage: longUrl }));

      const response = await postBatch(batch);

      expect(response.status).toBe(413);
      expect(response.body).toEqual({
        statusCode: 413,
        error: 'Payload Too Large',
        code: 'BODY_TOO_LARGE',
        message: 'A request body may take at most 512 KiB (524288 bytes); split the batch',
        limit: 524288,
      });
      expect(await journey(`anon-${visitor}`)).toEqual([]);
    });

    it('is refused with 415 in a format other than JSON or NDJSON', async () => {
      const response = await post('kind=WEB_VISIT', 'application/x-www-form-urlencoded');

      expect(response.status).toBe(415);
      expect(response.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    });
  });

  it('reads a gzip-compressed batch', async () => {
    const visitor = person();
    const touch = visit(visitor);

    // fetch, not supertest: supertest would serialise the compressed bytes as JSON.
    const response = await fetch(`${api.url}/v1/touchpoints`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      body: gzipSync(JSON.stringify([touch])),
    });

    expect(response.status).toBe(200);
    expect(await eventIdsOf(`anon-${visitor}`)).toEqual([touch.touchpointId]);
  });

  describe('NDJSON', () => {
    it('refuses a malformed line alone, by line number − 1, and stores the other lines', async () => {
      const visitor = person();
      const [first, third] = [visit(visitor), visit(visitor)];
      const body = `${JSON.stringify(first)}\n{"kind": "WEB_VISIT", "anonymousId": }\n${JSON.stringify(third)}\n`;

      const response = await post(body, 'application/x-ndjson');

      expect(response.status).toBe(207);
      expect(response.body).toMatchObject({
        accepted: [first.touchpointId, third.touchpointId],
        rejected: [{ index: 1, errors: [{ field: null, code: 'MALFORMED_JSON', message: expect.stringMatching(/^Line 2 is not valid JSON: /) }] }],
      });
      expect(await eventIdsOf(`anon-${visitor}`)).toEqual([first.touchpointId, third.touchpointId]);
    });
  });

  describe('idempotency', () => {
    it('stores each touchpoint once when the same batch is sent twice', async () => {
      const visitors = [person(), person()];
      const batch = [visit(visitors[0]), visit(visitors[1]), visit(visitors[0])];

      const first = await postBatch(batch);
      const second = await postBatch(batch);

      expect(second.status).toBe(200);
      expect(second.body).toEqual(first.body);
      expect(await eventIdsOf(`anon-${visitors[0]}`)).toEqual([batch[0].touchpointId, batch[2].touchpointId]);
      expect(await eventIdsOf(`anon-${visitors[1]}`)).toEqual([batch[1].touchpointId]);
    });

    it('stores each touchpoint once when two identical batches arrive at once', async () => {
      const visitors = Array.from({ length: 20 }, person);
      const batch = visitors.flatMap((visitor) => [visit(visitor), visit(visitor), visit(visitor)]);

      const responses = await Promise.all([postBatch(batch), postBatch(batch), postBatch(batch)]);

      expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
      for (const [n, visitor] of visitors.entries()) {
        expect(await eventIdsOf(`anon-${visitor}`)).toEqual(batch.slice(n * 3, n * 3 + 3).map((touch) => touch.touchpointId));
      }
    });

    it('stores only the new touchpoints of a batch that repeats part of an earlier one', async () => {
      const visitor = person();
      const [first, second, third] = [visit(visitor), visit(visitor), visit(visitor)];
      await postBatch([first, second]);

      const response = await postBatch([second, third]);

      expect(response.body).toMatchObject({ accepted: [second.touchpointId, third.touchpointId], rejected: [] });
      expect(await eventIdsOf(`anon-${visitor}`)).toEqual([first.touchpointId, second.touchpointId, third.touchpointId]);
    });

    it('stores a touch sent twice within one batch once', async () => {
      const visitor = person();
      const touch = visit(visitor);

      const response = await postBatch([touch, visit(visitor, { touchpointId: touch.touchpointId.toUpperCase() })]);

      expect(response.body).toMatchObject({ accepted: [touch.touchpointId], rejected: [] });
      expect(await eventIdsOf(`anon-${visitor}`)).toEqual([touch.touchpointId]);
    });

    it('derives one id from source and externalId, however the source is cased, across requests', async () => {
      const visitor = person();
      const externalId = `hs-evt-${randomUUID()}`;
      const fromCrm = (source: string) => visit(visitor, { touchpointId: undefined, source, externalId });

      const first = await postBatch([fromCrm('hubspot')]);
      const second = await post(`${JSON.stringify(fromCrm(' HubSpot '))}\n`, 'application/x-ndjson');

      const id = derivedTouchpointId('hubspot', externalId);
      expect(first.body.accepted).toEqual([id]);
      expect(second.body.accepted).toEqual([id]);
      expect(await eventIdsOf(`anon-${visitor}`)).toEqual([id]);
    });
  });

  describe('the recordTouchpoints mutation', () => {
    const recordTouchpoints = (touchpoints: unknown[]) =>
      request(api.url).post('/graphql').set('x-correlation-id', 'gql-trace-1').send({ query: RECORD_TOUCHPOINTS, variables: { touchpoints } });

    it('has the semantics of POST /v1/touchpoints', async () => {
      const visitor = person();
      const sentOverHttp = visit(visitor);
      await postBatch([sentOverHttp]);
      const meeting = visit(visitor, { kind: 'MEETING', details: { meetingType: 'discovery', durationMinutes: 30 } });
      const touchpoints = [
        sentOverHttp,
        visit(visitor, { occurredAt: '2024-03-01T10:15:00+01:00' }),
        meeting,
        visit(visitor, { details: { pageUrl: 'https://acme.example/', formId: 'demo-request' } }),
        meeting,
      ];

      const response = await recordTouchpoints(touchpoints);

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        data: {
          recordTouchpoints: {
            accepted: [sentOverHttp.touchpointId, meeting.touchpointId],
            rejected: [
              { index: 1, errors: [{ field: 'occurredAt', code: 'INVALID_TIMESTAMP', message: expect.stringContaining('UTC') }] },
              {
                index: 3,
                errors: [{ field: 'details.formId', code: 'UNKNOWN_FIELD', message: 'details.formId is not a known field of WEB_VISIT details' }],
              },
            ],
          },
        },
      });
      const stored = await journey(`anon-${visitor}`);
      expect(stored.map((event) => event.eventId)).toEqual([sentOverHttp.touchpointId, meeting.touchpointId]);
      expect(stored[1].metadata).toMatchObject({ $correlationId: 'gql-trace-1', actor: { type: 'integration', id: 'acme-site' }, source: 'api' });
    });

    it('stores a full batch of 1,000 touchpoints', async () => {
      const visitors = Array.from({ length: 50 }, () => person());
      const touchpoints = Array.from({ length: 1000 }, (_, n) => visit(visitors[n % visitors.length]));

      const response = await recordTouchpoints(touchpoints);

      expect(response.status).toBe(200);
      expect(response.body.data.recordTouchpoints.rejected).toEqual([]);
      expect(response.body.data.recordTouchpoints.accepted).toHaveLength(1000);
      expect(await journey(`anon-${visitors[7]}`)).toHaveLength(20);
    });

    it('refuses more than 1,000 touchpoints with BAD_USER_INPUT, storing nothing', async () => {
      const visitor = person();
      const touchpoints = [visit(visitor), ...Array.from({ length: 1000 }, () => ({ kind: 'WEB_VISIT', occurredAt: '2024-03-01T09:15:00Z', details: {} }))];

      const response = await recordTouchpoints(touchpoints);

      expect(response.body.errors).toEqual([
        expect.objectContaining({ message: expect.stringContaining('at most 1000 touchpoints'), extensions: { code: 'BAD_USER_INPUT' } }),
      ]);
      expect(await journey(`anon-${visitor}`)).toEqual([]);
    });

    it('refuses a mistyped value before anything is stored, as GraphQL types are checked first', async () => {
      const visitor = person();

      const response = await recordTouchpoints([visit(visitor), visit(visitor, { kind: 'CALL', details: { durationSeconds: 'long' } })]);

      expect(response.body.errors).toEqual([
        expect.objectContaining({
          message: expect.stringContaining('got invalid value "long" at "touchpoints[1].details.durationSeconds"'),
          extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
        }),
      ]);
      expect(await journey(`anon-${visitor}`)).toEqual([]);
    });
  });
});

describe('Touchpoint ingestion with the event store down', () => {
  let dataDir: string;
  let postgres: PostgresHandle;
  let api: RunningApi;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'revops-ingestion-down-e2e-'));
    postgres = await usePostgres();
    // Nothing listens on port 1: every append fails as it would with the store down.
    api = await startApi(environment(dataDir, { DATABASE_URL: postgres.url, EVENTSTORE_URL: 'esdb://127.0.0.1:1?tls=false' }));
  });

  afterAll(async () => {
    await api?.close();
    await postgres?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers 503 with every touchpoint rejected as STORE_UNAVAILABLE, so the sender retries', async () => {
    const visitor = person();

    const response = await request(api.url).post('/v1/touchpoints').send([visit(visitor), visit(visitor, { occurredAt: 'soon' })]);

    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.body).toEqual({
      accepted: [],
      position: null,
      rejected: [
        { index: 0, errors: [{ field: null, code: 'STORE_UNAVAILABLE', message: expect.stringContaining('sending it again is safe') }] },
        { index: 1, errors: [expect.objectContaining({ field: 'occurredAt', code: 'INVALID_TIMESTAMP' })] },
      ],
    });
  });
});
