import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { EventStore } from '@revops/event-store';
import { allProjections, Projections, typeOrmReadStore } from '@revops/projections';
import { openReadStore } from '@revops/read-models';
import { cpuSecondsSince } from '../report';

/** What the projections benchmark hands its rebuild, as one JSON argument. */
export interface RebuildRequest {
  eventStoreUrl: string;
  databaseUrl: string;
  embedded: boolean;
  /** The position of the history's last event, decimal. */
  head: { commit: string; prepare: string };
  runner: { catchUpBatchSize: number; shareCatchUp: boolean };
}

/** What it prints, on one line. */
export interface RebuildResult {
  seconds: number;
  /** Each read model's own time to take over, its last batch and its finishing step included. */
  perProjection: Record<string, number>;
  /** The schemas of the versions that serve once it is done. */
  schemas: string[];
  /** This process's CPU time over the rebuild, every thread (the reading thread and the garbage collector's among them). */
  cpuSeconds: number;
}

/**
 * The projections benchmark's rebuild, in a process of its own as the projector runs in
 * production: every read model rebuilt from position 0, as after a deploy of new versions,
 * until each has passed the head. Pipelines, opportunities and attribution (its deals and their
 * contacts) consume the history; the others follow `$all` with filters that drop it. Usage: rebuild.js '<RebuildRequest as JSON>'
 */
async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? 'null') as RebuildRequest | null;
  if (!request) throw new Error("Usage: rebuild.js '<rebuild request as JSON>'");
  Logger.overrideLogger(['error', 'warn']);
  const head = { commit: BigInt(request.head.commit), prepare: BigInt(request.head.prepare) };
  const store = new EventStore({ connectionString: request.eventStoreUrl });
  const readStore = { url: request.databaseUrl, embedded: request.embedded };
  const dataSource = await openReadStore(readStore);
  const projections = new Projections({ store, sql: typeOrmReadStore(dataSource) }, { projections: allProjections, readStore, runner: request.runner });
  try {
    const started = performance.now();
    const cpuAtStart = process.cpuUsage();
    projections.start();
    const perProjection: Record<string, number> = {};
    await Promise.all(
      allProjections.map(async ({ name }) => {
        await projections.readYourWrites.waitForPosition(name, head, 3_600_000);
        perProjection[name] = (performance.now() - started) / 1000;
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpuSeconds = cpuSecondsSince(cpuAtStart);
    const schemas = (await Promise.all(allProjections.map(({ name }) => projections.serving.resolve(name)))).map((serving) => serving.schema.name);
    process.stdout.write(`${JSON.stringify({ seconds, perProjection, schemas, cpuSeconds } satisfies RebuildResult)}\n`);
  } finally {
    await projections.stop();
    await dataSource.destroy();
    await store.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
