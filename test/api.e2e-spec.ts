import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { allProjections } from '@revops/projections';
import { startApi, type RunningApi } from '../apps/api/src/bootstrap';
import packageJson from '../package.json';
import { graphqlClient } from './support/graphql-client';
import { everyProjectionCaughtUp, sampleOf, scrapeUntil } from './support/metrics';
import { usePostgres, type PostgresHandle } from './support/postgres';
import { readModelsCaughtUp } from './support/read-models';

// Starting the stores (a first embedded PostgreSQL start initialises a cluster) takes seconds.
jest.setTimeout(120_000);

// The event store is the in-process dev server unless the run names a real one.
const eventStoreUrl = process.env.EVENTSTORE_URL;
const expectedEventStoreMode = eventStoreUrl ? 'EXTERNAL' : 'EMBEDDED';

describe('api', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'revops-api-e2e-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const environment = (overrides: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
    PORT: '0',
    DATA_DIR: dataDir,
    EVENTSTORE_URL: eventStoreUrl,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    ...overrides,
  });

  describe('when started with its stores', () => {
    let postgres: PostgresHandle;
    let api: RunningApi;

    beforeAll(async () => {
      postgres = await usePostgres();
      api = await startApi(environment({ DATABASE_URL: postgres.url }));
    });

    afterAll(async () => {
      await api?.close();
      await postgres?.stop();
    });

    it('reports itself healthy with the event store and PostgreSQL up', async () => {
      const response = await request(api.url).get('/health');

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        status: 'ok',
        info: { eventStore: { status: 'up' }, postgres: { status: 'up' } },
        error: {},
      });
    });

    it('answers the version query with the build and the store modes', async () => {
      const response = await request(api.url)
        .post('/graphql')
        .send({ query: '{ version { name version eventStoreMode readStoreMode } }' });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        data: {
          version: {
            name: packageJson.name,
            version: packageJson.version,
            eventStoreMode: expectedEventStoreMode,
            readStoreMode: 'EXTERNAL',
          },
        },
      });
    });

    it('tells every cache on the way not to keep its answers, and offers none a tag to revalidate one by', async () => {
      const answered = await request(api.url).post('/graphql').send({ query: '{ version { name } }' });
      const refused = await request(api.url).post('/graphql').send({ query: '{ version { buildNumber } }' });

      expect(answered.headers['cache-control']).toBe('no-store');
      expect(refused.headers['cache-control']).toBe('no-store');
      expect(answered.headers.etag).toBeUndefined();
      expect(refused.headers.etag).toBeUndefined();
    });

    it('rejects an invalid query with a stable error code and no stack trace', async () => {
      const response = await request(api.url).post('/graphql').send({ query: '{ version { buildNumber } }' });

      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        {
          message: 'Cannot query field "buildNumber" on type "Version".',
          locations: [{ line: 1, column: 13 }],
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      ]);
    });

    describe('query limits', () => {
      const nested = (levels: number, leaf: string): string => (levels === 0 ? leaf : `account { opportunities { ${nested(levels - 1, leaf)} } }`);
      const page = (first: number, node: string) => `{ opportunities(first: ${first}) { edges { node { ${node} } } } }`;
      const graphql = (query: string, variables?: Record<string, unknown>) => request(api.url).post('/graphql').send({ query, variables });

      beforeAll(() => readModelsCaughtUp(graphqlClient(api.url), ['opportunities', 'accounts', 'contacts']));

      it('refuses a query nested deeper than 12 fields with QUERY_TOO_DEEP, before running it', async () => {
        // opportunities, edges, node, then two fields a level: 3 + 2 × 5 + id = 14.
        const response = await graphql(page(1, nested(5, 'id')));

        expect(response.status).toBe(400);
        expect(response.body.errors).toEqual([{ message: 'Query depth limit of 12 exceeded, found 14.', extensions: { code: 'QUERY_TOO_DEEP' } }]);
        expect(response.body.data).toBeUndefined();
      });

      it('refuses a query that would cost more than 100000 with QUERY_TOO_COMPLEX, naming its cost', async () => {
        // Each level of a deal's account's deals is taken as ten deals: 500 × 10 × 10 × 10 stays.
        const response = await graphql(page(500, nested(3, 'stageHistory { stageId }')));

        expect(response.status).toBe(400);
        expect(response.body.errors).toHaveLength(1);
        expect(response.body.errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX' });
        expect(response.body.errors[0].message).toMatch(/^Query cost \d+ exceeds the limit of 100000: ask for fewer items \(first\) or fewer nested lists$/);
      });

      it('answers the largest page with every nested relation, and counts a page by its first variable', async () => {
        const everyRelation = `id name account { id name domain } contacts { contactId role contact { id firstName lastName email } }
          stageHistory { stageId pipelineId entry enteredAt exitedAt exit durationSeconds }`;
        const largest = await graphql(page(500, everyRelation));
        expect(largest.status).toBe(200);
        expect(largest.body).toEqual({ data: { opportunities: { edges: [] } } });

        // 400 deals, each with three levels of its account's deals: refused through the variable.
        const paged = `query ($first: Int!) { opportunities(first: $first) { edges { node { ${nested(3, 'id')} } } } }`;
        expect((await graphql(paged, { first: 400 })).body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
        expect((await graphql(paged, { first: 2 })).body).toEqual({ data: { opportunities: { edges: [] } } });
      });

      it('still refuses a variable of the wrong type as bad input, naming it', async () => {
        const response = await graphql('query ($first: Int!) { opportunities(first: $first) { totalCount } }', { first: 'many' });

        expect(response.status).toBe(400);
        expect(response.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: [{ field: 'first' }] });
      });
    });

    it('serves Prometheus metrics: the process, and the state and lag of every projection version it runs', async () => {
      // Each projection catches up with the empty log right after the start.
      const response = await scrapeUntil(api.url, everyProjectionCaughtUp);

      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.text).toMatch(/^process_cpu_user_seconds_total \d/m);
      expect(response.text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
      expect(response.text).toContain('revops_projections_status_up 1');
      for (const line of everyProjectionCaughtUp) expect(response.text).toContain(line);
      for (const { name, version } of allProjections) {
        expect(response.text).toContain(`revops_projection_serving{projection="${name}",version="${version}"} 1`);
        expect(response.text).toContain(`revops_projection_lag_events{projection="${name}",version="${version}"} 0`);
      }
    });

    it('times every HTTP request by route, and counts and times GraphQL operations by root field and outcome', async () => {
      const graphql = (query: string) => request(api.url).post('/graphql').send({ query });
      await readModelsCaughtUp(graphqlClient(api.url), ['opportunities']);
      const before = await request(api.url).get('/metrics');

      await graphql('{ opportunities(first: 1) { totalCount } }');
      await graphql('{ a: opportunities(first: 1) { totalCount } b: opportunities(first: 2) { totalCount } }');
      await graphql('query Both { version { name } opportunities(first: 1) { totalCount } }');
      await graphql(`{ opportunities(first: 1) { edges { node { ${'account { opportunities { '.repeat(5)}id${' } }'.repeat(5)} } } } }`);
      await graphql('{ madeUp { secrets } }');
      expect((await request(api.url).get('/no-such-route/123')).status).toBe(404);
      const after = await request(api.url).get('/metrics');

      const added = (series: string) => sampleOf(after.text, series) - sampleOf(before.text, series);
      expect(added('revops_graphql_operations_total{operation="query",field="opportunities",code="OK"}')).toBe(2);
      expect(added('revops_graphql_operations_total{operation="query",field="several",code="OK"}')).toBe(1);
      expect(added('revops_graphql_operations_total{operation="query",field="opportunities",code="QUERY_TOO_DEEP"}')).toBe(1);
      // A request that names fields the schema lacks is not labelled by them.
      expect(added('revops_graphql_operations_total{operation="unknown",field="unknown",code="GRAPHQL_VALIDATION_FAILED"}')).toBe(1);
      expect(after.text).not.toContain('madeUp');
      expect(added('revops_graphql_operation_duration_seconds_count{operation="query",field="opportunities"}')).toBe(3);
      expect(added('revops_graphql_operation_duration_seconds_bucket{le="+Inf",operation="query",field="opportunities"}')).toBe(3);
      expect(sampleOf(after.text, 'revops_graphql_operation_duration_seconds_sum{operation="query",field="opportunities"}')).toBeGreaterThan(0);

      expect(added('http_request_duration_seconds_count{status_code="200",method="POST",path="/graphql"}')).toBe(3);
      expect(added('http_request_duration_seconds_count{status_code="400",method="POST",path="/graphql"}')).toBe(2);
      expect(added('http_request_duration_seconds_count{status_code="200",method="GET",path="/metrics"}')).toBe(1);
      // A path no route answers is one series, whatever the path.
      expect(added('http_request_duration_seconds_count{status_code="404",method="GET",path="unmatched"}')).toBe(1);
      expect(after.text).not.toContain('no-such-route');
    });

    it('writes the schema it serves to apps/api/schema.graphql', async () => {
      const schema = await readFile(join(__dirname, '..', 'apps', 'api', 'schema.graphql'), 'utf8');

      expect(schema).toContain('version: Version!');
      expect(schema).toContain('enum StoreMode {');
    });
  });

  describe('when PostgreSQL goes away', () => {
    it('reports itself unhealthy, naming PostgreSQL, and its metrics say the projections status cannot be read', async () => {
      const postgres = await usePostgres();
      const api = await startApi(environment({ DATABASE_URL: postgres.url }));
      try {
        await postgres.stop();

        const response = await request(api.url).get('/health');

        expect(response.status).toBe(503);
        expect(response.body).toMatchObject({
          status: 'error',
          info: { eventStore: { status: 'up' } },
          error: { postgres: { status: 'down' } },
        });
        // Still scraped: the process's figures, and a status that says it cannot be read.
        const metrics = await request(api.url).get('/metrics');
        expect(metrics.status).toBe(200);
        expect(metrics.text).toContain('revops_projections_status_up 0');
        expect(metrics.text).toMatch(/^process_cpu_user_seconds_total \d/m);
        expect(metrics.text).not.toMatch(/^revops_projection_state\{/m);
      } finally {
        await api.close();
      }
    });
  });

  describe('when the configuration is invalid', () => {
    it.each([
      ['PORT', '99999', 'PORT must be an integer between 0 and 65535 (got "99999")'],
      ['LOG_LEVEL', 'chatty', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "chatty")'],
      ['DATABASE_URL', 'mysql://localhost/revops', 'DATABASE_URL must be a postgres:// URL with a host'],
    ])('refuses to start with %s=%s, naming the variable', async (name, value, message) => {
      await expect(startApi(environment({ [name]: value }))).rejects.toThrow(message);
    });
  });
});
