/*
 * A projector process for the crash test: runs the stream_counts projection and, inside the
 * transaction of batch CRASH_IN_BATCH, after the read-model rows are written and before the
 * commit, reports "holding" on stdout and waits to be killed.
 */
import { Logger } from '@nestjs/common';
import { EventStore } from '@revops/event-store';
import { openReadStore } from '@revops/read-models';
import { Projections } from '../projections';
import { typeOrmReadStore } from '../read-store-sql';
import { FAST_RUNNER } from './fixtures';
import { streamCountsProjection } from './stream-counts.writer';

async function main(): Promise<void> {
  const env = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is required`);
    return value;
  };
  Logger.overrideLogger(false);
  const embedded = env('EMBEDDED') === 'true';
  const crashInBatch = Number(env('CRASH_IN_BATCH'));
  const dataSource = await openReadStore({ url: env('DATABASE_URL'), embedded });
  const store = new EventStore({ connectionString: env('EVENTSTORE_URL') });
  let batches = 0;
  const projection = streamCountsProjection({
    name: env('PROJECTION_NAME'),
    consumes: { streamNamePrefixes: [env('STREAM_PREFIX')] },
    afterWrite: async (batch) => {
      if (++batches < crashInBatch) return;
      process.stdout.write(`holding ${batch.length} events\n`);
      await new Promise<never>(() => undefined);
    },
  });
  const projections = new Projections(
    { store, sql: typeOrmReadStore(dataSource) },
    { projections: [projection], readStore: { url: env('DATABASE_URL'), embedded }, runner: FAST_RUNNER },
  );
  projections.start();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
