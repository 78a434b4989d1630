import { Client } from 'pg';

export interface BenchDatabase {
  readonly url: string;
  readonly embedded: boolean;
  drop(): Promise<void>;
}

/** A database of its own on the server, dropped afterwards, or the embedded cluster's only one. */
export async function freshDatabase(serverUrl: string, embedded: boolean, name = `revops_bench_${process.pid}`): Promise<BenchDatabase> {
  if (embedded) return { url: serverUrl, embedded, drop: async () => undefined };
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    embedded,
    drop: () => withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
