/*
 * The projector's runners over every real read model (`allProjections`), as a process of its
 * own for the crash test. With HOLD_PROJECTION and HOLD_IN_BATCH set, that projection's batch
 * number HOLD_IN_BATCH is applied unchanged, then, before the runner commits it, the process
 * prints `holding {json}` (the batch's events) and waits inside the open transaction to be killed.
 * With START_ON_STDIN=true it loads its code, then waits for a line on stdin before it connects:
 * a test pays for loading while it does other work and starts the projector when it needs it.
 */
import { createInterface } from 'node:readline';
import { Logger } from '@nestjs/common';
import { EventStore, type RecordedEnvelope } from '@revops/event-store';
import { allProjections, Projections, typeOrmReadStore, type Projection } from '@revops/projections';
import { openReadStore } from '@revops/read-models';
import { FAST_RUNNER } from '../../libs/projections/src/runner/testing/fixtures';

/** What the process prints about the batch it holds open. */
export interface HeldBatch {
  readonly projection: string;
  readonly batch: number;
  readonly events: ReadonlyArray<{ streamName: string; revision: string; commit: string }>;
}

function holdingIn(projection: Projection, batchNumber: number): Projection {
  let batches = 0;
  return {
    ...projection,
    apply: async (batch, tx) => {
      await projection.apply(batch, tx);
      if (++batches < batchNumber) return;
      process.stdout.write(`holding ${JSON.stringify(heldBatch(projection.name, batches, batch))}\n`);
      await new Promise<never>(() => undefined);
    },
  };
}

function heldBatch(projection: string, batch: number, events: readonly RecordedEnvelope[]): HeldBatch {
  return {
    projection,
    batch,
    events: events.map(({ streamName, revision, position }) => ({
      streamName,
      revision: revision.toString(),
      commit: position.commit.toString(),
    })),
  };
}

async function run(env: NodeJS.ProcessEnv): Promise<void> {
  const { DATABASE_URL: url, EVENTSTORE_URL: connectionString, HOLD_PROJECTION: hold } = env;
  if (!url || !connectionString) throw new Error('DATABASE_URL and EVENTSTORE_URL are required');
  if (env.START_ON_STDIN === 'true') for await (const _go of createInterface({ input: process.stdin })) break;
  Logger.overrideLogger(false);
  const readStore = { url, embedded: env.EMBEDDED === 'true' };
  const dataSource = await openReadStore(readStore);
  const store = new EventStore({ connectionString });
  const projections = new Projections(
    { store, sql: typeOrmReadStore(dataSource) },
    {
      projections: allProjections.map((projection) =>
        projection.name === hold ? holdingIn(projection, Number(env.HOLD_IN_BATCH)) : projection,
      ),
      readStore,
      runner: { ...FAST_RUNNER, maxBatchSize: Number(env.MAX_BATCH_SIZE ?? FAST_RUNNER.maxBatchSize) },
    },
  );
  projections.start();
  process.once('SIGTERM', () => {
    void projections
      .stop()
      .then(() => Promise.all([store.close(), dataSource.destroy()]))
      .finally(() => process.exit(0));
  });
  process.stdout.write('started\n');
}

run(process.env).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
