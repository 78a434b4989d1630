import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchDatabase, startEmbeddedPostgres } from '@revops/read-models';

export interface PostgresHandle {
  /** postgres:// URL of a database that belongs to this test file alone. */
  readonly url: string;
  /** True for embedded PostgreSQL, which serves one session at a time. */
  readonly embedded: boolean;
  /** Drops the database, or stops embedded PostgreSQL and deletes its files. */
  stop(): Promise<void>;
}

/**
 * A fresh, empty database for a test file: on the server named by DATABASE_URL when set
 * (CI points it at a real PostgreSQL), otherwise on embedded PostgreSQL in a temporary
 * directory.
 */
export async function usePostgres(): Promise<PostgresHandle> {
  const server = process.env.DATABASE_URL;
  return server ? createDatabaseOn(server) : startEmbeddedInTempDir();
}

async function createDatabaseOn(serverUrl: string): Promise<PostgresHandle> {
  const database = await createScratchDatabase(serverUrl, `revops_test_${process.pid}_${randomBytes(4).toString('hex')}`);
  return { url: database.url, embedded: false, stop: database.drop };
}

async function startEmbeddedInTempDir(): Promise<PostgresHandle> {
  const dir = await mkdtemp(join(tmpdir(), 'revops-pg-'));
  const postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'pg') }).catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  return {
    url: postgres.url,
    embedded: true,
    stop: async () => {
      await postgres.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
