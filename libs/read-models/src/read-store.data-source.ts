import { Logger } from '@nestjs/common';
import { DataSource, MigrationExecutor, type DataSourceOptions } from 'typeorm';
import { readStoreMigrations } from './migrations/read-store-migrations';
import { ProjectionCheckpoint } from './projection-checkpoint.entity';
import { ReadStoreLogger } from './read-store.logger';

export interface ReadStoreConnection {
  /** postgres:// URL of the read store. */
  readonly url: string;
  /** True when the URL points at embedded PostgreSQL (PGlite), which serves one session at a time. */
  readonly embedded: boolean;
}

export const readStoreEntities = [ProjectionCheckpoint];

/**
 * TypeORM options for the read store. The schema comes from migrations only: `synchronize`
 * would let entity edits alter production tables behind the migrations' back.
 */
export function readStoreDataSourceOptions(connection: ReadStoreConnection): DataSourceOptions {
  return {
    type: 'postgres',
    url: connection.url,
    applicationName: 'revops-ledger',
    entities: readStoreEntities,
    migrations: readStoreMigrations,
    migrationsTableName: 'schema_migrations',
    migrationsRun: false,
    synchronize: false,
    logger: new ReadStoreLogger(['error', 'warn', 'migration', 'schema']),
    extra: { onConnect: turnJitOff },
    ...(connection.embedded
      ? {
          // PGlite runs one statement at a time and holds every other connection while a
          // transaction is open, so a second pooled connection adds no throughput, only a way
          // to deadlock: code that queries outside its transaction's manager would wait on a
          // connection that the transaction itself holds. With one connection that mistake
          // fails after the timeout instead of hanging.
          poolSize: 1,
          connectTimeoutMS: 30_000,
        }
      : { poolSize: 10, connectTimeoutMS: 10_000 }),
  };
}

/**
 * Every read-store session runs without PostgreSQL's JIT compiler, set on each pooled
 * connection before its first use. The read store's statements are short, set-based writes
 * and indexed reports; on fresh or large tables the planner's costs pass `jit_above_cost`
 * and compiling a statement takes longer than running it. Measured on 20,000-deal rebuilds:
 * attribution served 6–8.5 s after the other read models with JIT, 0–3 s after them without.
 */
async function turnJitOff(client: { query(sql: string): Promise<unknown> }): Promise<void> {
  await client.query('SET jit = off');
}

/** Opens the read store and brings its schema up to date. */
export async function openReadStore(connection: ReadStoreConnection): Promise<DataSource> {
  const dataSource = await new DataSource(readStoreDataSourceOptions(connection)).initialize();
  try {
    const applied = await runReadStoreMigrations(dataSource);
    if (applied.length > 0) new Logger('ReadStore').log(`applied migrations ${applied.join(', ')}`);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

// Any fixed bigint will do, as long as nothing else in the read store takes the same lock.
const migrationLock = '4150313822017';

/**
 * Applies pending migrations, each in its own transaction, and returns their names. Api
 * replicas that start together would race to create the same tables, so the run holds a
 * Postgres advisory lock. Lock, migrations and unlock share one connection: against
 * embedded PostgreSQL the pool has no second one to give.
 */
export async function runReadStoreMigrations(dataSource: DataSource): Promise<string[]> {
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.connect();
  try {
    await queryRunner.query('SELECT pg_advisory_lock($1)', [migrationLock]);
    try {
      const executor = new MigrationExecutor(dataSource, queryRunner);
      executor.transaction = 'each';
      const applied = await executor.executePendingMigrations();
      return applied.map((migration) => migration.name);
    } finally {
      await queryRunner.query('SELECT pg_advisory_unlock($1)', [migrationLock]);
    }
  } finally {
    await queryRunner.release();
  }
}
