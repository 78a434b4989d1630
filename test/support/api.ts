import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi, type RunningApi } from '../../apps/api/src/bootstrap';
import { graphqlClient } from './graphql-client';
import { usePostgres } from './postgres';

export interface TestApi {
  readonly api: RunningApi;
  /** Posts GraphQL to the api over HTTP. */
  readonly send: ReturnType<typeof graphqlClient>;
  /** Stops the api, then drops its database and deletes its data directory. */
  close(): Promise<void>;
}

/**
 * The api as an end-to-end test file runs it: its own data directory, a database of its own
 * (see usePostgres), the event store of EVENTSTORE_URL or a dev server it starts itself.
 */
export async function startTestApi(name: string, environment: Record<string, string | undefined> = {}): Promise<TestApi> {
  const dataDir = await mkdtemp(join(tmpdir(), `revops-${name}-e2e-`));
  const postgres = await usePostgres();
  const removeAll = async () => {
    await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  const api = await startApi({
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: postgres.url,
    EVENTSTORE_URL: process.env.EVENTSTORE_URL,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    ...environment,
  }).catch(async (error: unknown) => {
    await removeAll();
    throw error;
  });
  return {
    api,
    send: graphqlClient(api.url),
    close: async () => {
      await api.close();
      await removeAll();
    },
  };
}
