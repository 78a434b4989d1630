import { Client } from 'pg';

/** Runs `work` on a connection of its own to `url`, closed afterwards. */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface ScratchDatabase {
  /** postgres:// URL of the new database on the same server. */
  readonly url: string;
  drop(): Promise<void>;
}

/**
 * A new, empty database named `name` on the server at `serverUrl`, for a test file or a
 * benchmark run. `name` must be a plain lower-case identifier.
 */
export async function createScratchDatabase(serverUrl: string, name: string): Promise<ScratchDatabase> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new RangeError(`Database name "${name}" must be a plain lower-case identifier`);
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // FORCE closes connections a failed run may have left open.
    drop: () => withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
