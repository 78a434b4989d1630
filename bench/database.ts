import { createScratchDatabase } from '@revops/read-models';

export interface BenchDatabase {
  readonly url: string;
  readonly embedded: boolean;
  drop(): Promise<void>;
}

/** A database of its own on the server, dropped afterwards, or the embedded cluster's only one. */
export async function freshDatabase(serverUrl: string, embedded: boolean, name = `revops_bench_${process.pid}`): Promise<BenchDatabase> {
  if (embedded) return { url: serverUrl, embedded, drop: async () => undefined };
  return { ...(await createScratchDatabase(serverUrl, name)), embedded };
}
