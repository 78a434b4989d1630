import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { EventStore, metadataFrom } from '@revops/event-store';
import { startApi, type RunningApi } from '../apps/api/src/bootstrap';
import { readStoreMigrations, withClient } from '@revops/read-models';

/** Every migration of the read store, by the name it is recorded under, oldest first. */
const appliedMigrationNames = readStoreMigrations.map((migration) => ({ name: migration.name }));

// Two starts, the first of which initialises a PostgreSQL cluster.
jest.setTimeout(180_000);

/** What a fresh clone runs with: no EVENTSTORE_URL, no DATABASE_URL. */
const zeroInstall = (dataDir: string): NodeJS.ProcessEnv => ({
  PORT: '0',
  DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  NODE_ENV: 'test',
});

async function queryReadStore(api: RunningApi, sql: string): Promise<unknown[]> {
  return withClient(api.runtime.readStore.url, async (client) => (await client.query(sql)).rows);
}

async function withEventStore<T>(api: RunningApi, work: (eventStore: EventStore) => Promise<T>): Promise<T> {
  const eventStore = new EventStore({ connectionString: api.runtime.eventStore.connectionString });
  try {
    return await work(eventStore);
  } finally {
    await eventStore.close();
  }
}

describe('api with nothing installed', () => {
  let dataDir: string;
  let api: RunningApi | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'revops-zero-install-'));
  });

  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs both stores in-process and keeps their data across a clean shutdown and restart', async () => {
    const streamName = `campaign-${randomUUID()}`;
    api = await startApi(zeroInstall(dataDir));

    const version = await request(api.url).post('/graphql').send({ query: '{ version { eventStoreMode readStoreMode } }' });
    expect(version.body).toEqual({ data: { version: { eventStoreMode: 'EMBEDDED', readStoreMode: 'EMBEDDED' } } });
    expect((await request(api.url).get('/health')).status).toBe(200);

    await queryReadStore(
      api,
      `INSERT INTO projection_checkpoints (projection_name, projection_version, commit_position, prepare_position, status)
       VALUES ('restart_probe', 1, 512, 500, 'live')`,
    );
    await withEventStore(api, (eventStore) =>
      eventStore.append(
        streamName,
        [
          {
            type: 'CampaignCreated',
            data: { name: 'Spring webinar', channel: 'events' },
            metadata: metadataFrom({
              correlationId: 'zero-install',
              causationId: 'zero-install',
              actor: { type: 'system', id: 'e2e' },
              source: 'system',
              occurredAt: '2026-03-01T09:00:00Z',
            }),
          },
        ],
        { expectedRevision: 'no_stream' },
      ),
    );
    await api.close();

    api = await startApi(zeroInstall(dataDir));

    expect((await request(api.url).get('/health')).body).toMatchObject({ status: 'ok' });
    expect(await queryReadStore(api, 'SELECT name FROM schema_migrations')).toEqual(appliedMigrationNames);
    expect(
      await queryReadStore(
        api,
        "SELECT projection_name, commit_position, prepare_position, status FROM projection_checkpoints WHERE projection_name = 'restart_probe'",
      ),
    ).toEqual([{ projection_name: 'restart_probe', commit_position: '512', prepare_position: '500', status: 'live' }]);
    const events = await withEventStore(api, async (eventStore) => {
      const read = [];
      for await (const event of eventStore.readStream(streamName)) read.push({ type: event.type, data: event.data });
      return read;
    });
    expect(events).toEqual([{ type: 'CampaignCreated', data: { name: 'Spring webinar', channel: 'events' } }]);
  });

  it('refuses a second start on the same DATA_DIR while the first runs', async () => {
    api = await startApi(zeroInstall(dataDir));

    await expect(startApi(zeroInstall(dataDir))).rejects.toThrow(
      `Embedded PostgreSQL data in ${join(dataDir, 'pg')} is in use by process ${process.pid}`,
    );
    expect((await request(api.url).get('/health')).status).toBe(200);
  });
});
