import { InvalidConfigError, loadConfig } from './load-config';

const cwd = '/srv/revops';

describe('loadConfig', () => {
  describe('with nothing set', () => {
    it('runs on port 3000 with embedded stores under .data and info logs', () => {
      expect(loadConfig({}, cwd)).toEqual({
        port: 3000,
        dataDir: '/srv/revops/.data',
        eventStoreUrl: undefined,
        databaseUrl: undefined,
        logLevel: 'info',
        nodeEnv: 'development',
        embeddedPostgresPort: 0,
        runProjections: 'auto',
        reportCacheEntries: 1000,
        graphqlLimits: { maxDepth: 12, maxCost: 100_000 },
      });
    });

    it('treats an empty variable as unset', () => {
      expect(loadConfig({ PORT: '', DATABASE_URL: '', LOG_LEVEL: '' }, cwd)).toMatchObject({
        port: 3000,
        databaseUrl: undefined,
        logLevel: 'info',
      });
    });
  });

  describe('with every variable set', () => {
    it('reads each of them', () => {
      expect(
        loadConfig(
          {
            PORT: '8080',
            DATA_DIR: '/var/lib/revops',
            EVENTSTORE_URL: 'esdb://localhost:2113?tls=false',
            DATABASE_URL: 'postgres://revops:secret@db.internal:5432/revops',
            LOG_LEVEL: 'debug',
            NODE_ENV: 'production',
            EMBEDDED_POSTGRES_PORT: '55432',
            RUN_PROJECTIONS: 'false',
            REPORT_CACHE_ENTRIES: '250',
            GRAPHQL_MAX_DEPTH: '8',
            GRAPHQL_MAX_COST: '20000',
          },
          cwd,
        ),
      ).toEqual({
        port: 8080,
        dataDir: '/var/lib/revops',
        eventStoreUrl: 'esdb://localhost:2113?tls=false',
        databaseUrl: 'postgres://revops:secret@db.internal:5432/revops',
        logLevel: 'debug',
        nodeEnv: 'production',
        embeddedPostgresPort: 55432,
        runProjections: false,
        reportCacheEntries: 250,
        graphqlLimits: { maxDepth: 8, maxCost: 20_000 },
      });
    });

    it.each([
      ['true', true],
      ['false', false],
      ['auto', 'auto'],
    ] as const)('reads RUN_PROJECTIONS=%s', (value, expected) => {
      expect(loadConfig({ RUN_PROJECTIONS: value }, cwd).runProjections).toBe(expected);
    });

    it('resolves a relative DATA_DIR against the working directory', () => {
      expect(loadConfig({ DATA_DIR: 'tmp/data' }, cwd).dataDir).toBe('/srv/revops/tmp/data');
    });

    it('accepts port 0 for a free port', () => {
      expect(loadConfig({ PORT: '0' }, cwd).port).toBe(0);
    });

    it.each([
      'esdb://localhost:2113?tls=false',
      'esdb+discover://cluster.internal:2113',
      'esdb://node1:2113,node2:2113,node3:2113?tls=true',
      'kurrentdb://admin:changeit@localhost:2113',
      'kurrentdb+discover://cluster.internal:2113',
    ])('accepts the event-store connection string %s', (url) => {
      expect(loadConfig({ EVENTSTORE_URL: url }, cwd).eventStoreUrl).toBe(url);
    });

    it.each(['postgres://postgres@127.0.0.1:5432/test', 'postgresql://u:p@db/revops?sslmode=require'])(
      'accepts the database URL %s',
      (url) => {
        expect(loadConfig({ DATABASE_URL: url }, cwd).databaseUrl).toBe(url);
      },
    );
  });

  describe('with a bad value', () => {
    it.each([
      ['PORT', 'abc', 'PORT must be an integer between 0 and 65535 (got "abc")'],
      ['PORT', '70000', 'PORT must be an integer between 0 and 65535 (got "70000")'],
      ['PORT', '-1', 'PORT must be an integer between 0 and 65535 (got "-1")'],
      ['PORT', '80.5', 'PORT must be an integer between 0 and 65535 (got "80.5")'],
      ['PORT', '1e3', 'PORT must be an integer between 0 and 65535 (got "1e3")'],
      ['LOG_LEVEL', 'verbose', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "verbose")'],
      ['RUN_PROJECTIONS', 'yes', 'RUN_PROJECTIONS must be one of auto, true, false (got "yes")'],
      ['REPORT_CACHE_ENTRIES', '-1', 'REPORT_CACHE_ENTRIES must be an integer from 0 (no cache) to 100000 (got "-1")'],
      ['GRAPHQL_MAX_DEPTH', '0', 'GRAPHQL_MAX_DEPTH must be an integer from 1 to 100 (got "0")'],
      ['GRAPHQL_MAX_COST', '1e6', 'GRAPHQL_MAX_COST must be an integer from 1 to 100000000 (got "1e6")'],
      ['REPORT_CACHE_ENTRIES', 'lots', 'REPORT_CACHE_ENTRIES must be an integer from 0 (no cache) to 100000 (got "lots")'],
      ['NODE_ENV', 'staging', 'NODE_ENV must be one of development, production, test (got "staging")'],
      [
        'EMBEDDED_POSTGRES_PORT',
        'pg',
        'EMBEDDED_POSTGRES_PORT must be an integer between 0 and 65535 (got "pg")',
      ],
    ])('rejects %s=%s naming the variable and the rule', (name, value, message) => {
      expect(() => loadConfig({ [name]: value }, cwd)).toThrow(`Invalid configuration: ${message}`);
    });

    it.each(['http://localhost:2113', 'localhost:2113', 'esdb://'])(
      'rejects EVENTSTORE_URL=%s',
      (url) => {
        expect(() => loadConfig({ EVENTSTORE_URL: url }, cwd)).toThrow(
          'EVENTSTORE_URL must be an esdb:// or kurrentdb:// connection string',
        );
      },
    );

    it.each(['mysql://root@localhost/revops', 'postgres:///revops', 'not a url'])(
      'rejects DATABASE_URL=%s',
      (url) => {
        expect(() => loadConfig({ DATABASE_URL: url }, cwd)).toThrow('DATABASE_URL must be a postgres:// URL with a host');
      },
    );

    it('keeps the value of a connection string out of the message, as it may hold a password', () => {
      expect(() => loadConfig({ DATABASE_URL: 'mysql://root:hunter2@localhost/revops' }, cwd)).toThrow(
        expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
      );
    });

    it('lists every bad variable at once', () => {
      expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'loud' }, cwd)).toThrow(
        new InvalidConfigError([
          'PORT must be an integer between 0 and 65535 (got "x")',
          'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
        ]),
      );
    });
  });
});
