import type { DataSource } from 'typeorm';
import { usePostgres, type PostgresHandle } from '../../../test/support/postgres';
import { ProjectionCheckpoint } from './projection-checkpoint.entity';
import { openReadStore, runReadStoreMigrations } from './read-store.data-source';
import { readStoreMigrations } from './migrations/read-store-migrations';

/** Every migration of the read store, by the name it is recorded under, oldest first. */
const appliedMigrationNames = readStoreMigrations.map((migration) => ({ name: migration.name }));

// A first start of embedded PostgreSQL initialises a cluster, which takes seconds.
jest.setTimeout(60_000);

describe('Read store', () => {
  let postgres: PostgresHandle;
  let readStore: DataSource | undefined;

  const open = async () => {
    readStore = await openReadStore({ url: postgres.url, embedded: postgres.embedded });
    return readStore;
  };

  beforeAll(async () => {
    postgres = await usePostgres();
  });

  afterEach(async () => {
    await readStore?.destroy();
    readStore = undefined;
  });

  afterAll(async () => {
    await postgres?.stop();
  });

  describe('when opened on an empty database', () => {
    it('creates projection_checkpoints keyed by projection name and version', async () => {
      const dataSource = await open();

      const columns = await dataSource.query(
        `SELECT column_name, data_type, is_nullable
           FROM information_schema.columns
          WHERE table_name = 'projection_checkpoints'
          ORDER BY ordinal_position`,
      );
      expect(columns).toEqual([
        { column_name: 'projection_name', data_type: 'text', is_nullable: 'NO' },
        { column_name: 'projection_version', data_type: 'integer', is_nullable: 'NO' },
        { column_name: 'commit_position', data_type: 'numeric', is_nullable: 'YES' },
        { column_name: 'prepare_position', data_type: 'numeric', is_nullable: 'YES' },
        { column_name: 'status', data_type: 'text', is_nullable: 'NO' },
        { column_name: 'last_error', data_type: 'text', is_nullable: 'YES' },
        { column_name: 'error_commit_position', data_type: 'numeric', is_nullable: 'YES' },
        { column_name: 'error_prepare_position', data_type: 'numeric', is_nullable: 'YES' },
        { column_name: 'updated_at', data_type: 'timestamp with time zone', is_nullable: 'NO' },
      ]);
      const primaryKey = await dataSource.query(
        `SELECT a.attname AS column_name
           FROM pg_index i
           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
          WHERE i.indrelid = 'projection_checkpoints'::regclass AND i.indisprimary
          ORDER BY array_position(i.indkey, a.attnum)`,
      );
      expect(primaryKey).toEqual([{ column_name: 'projection_name' }, { column_name: 'projection_version' }]);
    });

    it('records the migration it applied', async () => {
      const dataSource = await open();

      expect(await dataSource.query('SELECT name FROM schema_migrations')).toEqual(appliedMigrationNames);
    });
  });

  describe('when opened again', () => {
    it('applies no migration twice', async () => {
      const dataSource = await open();

      expect(await runReadStoreMigrations(dataSource)).toEqual([]);
      expect(await dataSource.query('SELECT count(*)::int AS count FROM schema_migrations')).toEqual([{ count: readStoreMigrations.length }]);
    });

    it('keeps the rows written before', async () => {
      const first = await open();
      await first.getRepository(ProjectionCheckpoint).save({
        projectionName: 'pipeline',
        projectionVersion: 1,
        commitPosition: 1024n,
        preparePosition: 1000n,
        status: 'live',
      });
      await first.destroy();

      const second = await open();

      expect(await second.query('SELECT projection_name, status FROM projection_checkpoints')).toEqual([
        { projection_name: 'pipeline', status: 'live' },
      ]);
      await second.query('DELETE FROM projection_checkpoints');
    });
  });

  it('has entities that match the migrated schema, so migrations alone define it', async () => {
    const dataSource = await open();

    const pending = await dataSource.driver.createSchemaBuilder().log();

    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('runs every session without the JIT compiler, on each connection of the pool', async () => {
    const dataSource = await open();
    // Two transactions at once hold two connections of the pool (against embedded PostgreSQL
    // the second waits for the first's, which is then reused).
    const settings = await Promise.all(
      [0, 1].map(() =>
        dataSource.transaction(async (manager) => {
          const [row] = (await manager.query(`SELECT current_setting('jit') AS jit, pg_backend_pid() AS pid, pg_sleep(0.05)`)) as { jit: string }[];
          return row.jit;
        }),
      ),
    );

    expect(settings).toEqual(['off', 'off']);
  });

  describe('projection_checkpoints', () => {
    it('stores a position at the top of the unsigned 64-bit range', async () => {
      const dataSource = await open();
      const checkpoints = dataSource.getRepository(ProjectionCheckpoint);
      const top = 2n ** 64n - 1n;

      await checkpoints.save({
        projectionName: 'attribution',
        projectionVersion: 2,
        commitPosition: top,
        preparePosition: top - 1n,
      });

      const stored = await checkpoints.findOneByOrFail({ projectionName: 'attribution', projectionVersion: 2 });
      expect(stored).toMatchObject({ commitPosition: top, preparePosition: top - 1n, status: 'building', lastError: null });
      expect(stored.updatedAt).toBeInstanceOf(Date);
    });

    it('starts a projection with no position, meaning the start of $all', async () => {
      const dataSource = await open();

      await dataSource.query(
        `INSERT INTO projection_checkpoints (projection_name, projection_version) VALUES ('funnel', 1)`,
      );

      expect(
        await dataSource.query(
          `SELECT commit_position, prepare_position, status FROM projection_checkpoints WHERE projection_name = 'funnel'`,
        ),
      ).toEqual([{ commit_position: null, prepare_position: null, status: 'building' }]);
    });

    it('rejects a position with only one of its two halves', async () => {
      const dataSource = await open();

      await expect(
        dataSource.query(
          `INSERT INTO projection_checkpoints (projection_name, projection_version, commit_position)
           VALUES ('audit', 1, 10)`,
        ),
      ).rejects.toThrow('projection_checkpoints_position_complete');
    });

    it('rejects an unknown status', async () => {
      const dataSource = await open();

      await expect(
        dataSource.query(
          `INSERT INTO projection_checkpoints (projection_name, projection_version, status) VALUES ('audit', 1, 'paused')`,
        ),
      ).rejects.toThrow('projection_checkpoints_status_known');
    });

    it('keeps one row per projection name and version', async () => {
      const dataSource = await open();
      await dataSource.query(
        `INSERT INTO projection_checkpoints (projection_name, projection_version) VALUES ('contacts', 1), ('contacts', 2)`,
      );

      await expect(
        dataSource.query(`INSERT INTO projection_checkpoints (projection_name, projection_version) VALUES ('contacts', 2)`),
      ).rejects.toThrow('projection_checkpoints_pkey');
    });
  });
});
