import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { openReadStore } from './read-store.data-source';
import { readStoreMigrations } from './migrations/read-store-migrations';

/** Every migration of the read store, by the name it is recorded under, oldest first. */
const appliedMigrationNames = readStoreMigrations.map((migration) => ({ name: migration.name }));

// A first start of embedded PostgreSQL initialises a cluster, which takes seconds.
jest.setTimeout(60_000);

describe('Embedded PostgreSQL', () => {
  let dir: string;
  let dataDir: string;
  const started: EmbeddedPostgres[] = [];

  const start = async () => {
    const postgres = await startEmbeddedPostgres({ dataDir });
    started.push(postgres);
    return postgres;
  };

  const connect = async (url: string) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    return client;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'revops-embedded-pg-'));
    dataDir = join(dir, 'pg');
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((postgres) => postgres.stop()));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the migrated schema and its rows across a stop and a start', async () => {
    const first = await start();
    const readStore = await openReadStore({ url: first.url, embedded: true });
    await readStore.query(
      `INSERT INTO projection_checkpoints (projection_name, projection_version, commit_position, prepare_position, status)
       VALUES ('pipeline', 1, 4096, 4000, 'live')`,
    );
    await readStore.destroy();
    await first.stop();

    const second = await start();
    const client = await connect(second.url);
    const checkpoints = await client.query('SELECT projection_name, commit_position, status FROM projection_checkpoints');
    const migrations = await client.query('SELECT name FROM schema_migrations');
    await client.end();

    expect(checkpoints.rows).toEqual([{ projection_name: 'pipeline', commit_position: '4096', status: 'live' }]);
    expect(migrations.rows).toEqual(appliedMigrationNames);
  });

  it('refuses a data directory that a running instance holds', async () => {
    await start();

    await expect(start()).rejects.toThrow(`Embedded PostgreSQL data in ${dataDir} is in use by process ${process.pid}`);
  });

  it('serves several clients at once', async () => {
    const postgres = await start();
    const clients = await Promise.all([connect(postgres.url), connect(postgres.url), connect(postgres.url)]);

    const answers = await Promise.all(clients.map((client, i) => client.query('SELECT $1::int AS n', [i])));
    await Promise.all(clients.map((client) => client.end()));

    expect(answers.map((answer) => answer.rows[0].n)).toEqual([0, 1, 2]);
  });

  it('keeps every parameterised query whole while a pool of clients queries and writes at once', async () => {
    const postgres = await start();
    const clients = await Promise.all(Array.from({ length: 6 }, () => connect(postgres.url)));
    await clients[0].query('CREATE TABLE IF NOT EXISTS tally (client int, n int)');
    await clients[0].query('TRUNCATE tally');

    const rounds = 40;
    const work = clients.map(async (client, c) => {
      const echoed: number[] = [];
      for (let n = 0; n < rounds; n++) {
        if (n % 4 === 0) {
          await client.query('BEGIN');
          await client.query('INSERT INTO tally VALUES ($1, $2)', [c, n]);
          await client.query('COMMIT');
        }
        const { rows } = await client.query('SELECT $1::int * 1000 + $2::int AS echoed', [c, n]);
        echoed.push(rows[0].echoed);
      }
      return echoed;
    });
    const echoed = await Promise.all(work);
    const { rows } = await clients[0].query('SELECT count(*)::int AS count FROM tally');
    await Promise.all(clients.map((client) => client.end()));

    expect(echoed).toEqual(clients.map((_, c) => Array.from({ length: rounds }, (__, n) => c * 1000 + n)));
    expect(rows).toEqual([{ count: clients.length * (rounds / 4) }]);
  });

  it('rolls back the transaction of a client that goes away, and serves the others', async () => {
    const postgres = await start();
    const [leaving, staying] = await Promise.all([connect(postgres.url), connect(postgres.url)]);
    await staying.query('CREATE TABLE IF NOT EXISTS abandoned (id int)');
    await staying.query('TRUNCATE abandoned');

    await leaving.query('BEGIN');
    await leaving.query('INSERT INTO abandoned VALUES ($1)', [1]);
    const count = staying.query('SELECT count(*)::int AS count FROM abandoned');
    await leaving.end();

    expect((await count).rows).toEqual([{ count: 0 }]);
    await staying.end();
  });

  it("holds another client's query until an open transaction ends", async () => {
    const postgres = await start();
    const [writer, reader] = await Promise.all([connect(postgres.url), connect(postgres.url)]);
    await writer.query('CREATE TABLE IF NOT EXISTS held (id int)');
    await writer.query('TRUNCATE held');

    await writer.query('BEGIN');
    await writer.query('INSERT INTO held VALUES (1)');
    const read = reader.query('SELECT count(*)::int AS count FROM held');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await writer.query('COMMIT');

    // Under read committed a query that ran before the commit would count 0 rows.
    expect((await read).rows).toEqual([{ count: 1 }]);
    await Promise.all([writer.end(), reader.end()]);
  });

  it('listens on the configured port', async () => {
    const probe = await startEmbeddedPostgres({ dataDir });
    const port = probe.port;
    await probe.stop();

    const postgres = await startEmbeddedPostgres({ dataDir, port });
    started.push(postgres);

    expect(postgres.url).toBe(`postgres://postgres@127.0.0.1:${port}/postgres`);
  });
});
