import type { RecordedEnvelope } from '@revops/event-store';
import type { Projection, ProjectionFilter, ProjectionSchema, ProjectionTransaction } from '../projection';
import { countByStream, type StreamCountChange } from './stream-counts.projection';

export interface StreamCountsOptions {
  readonly name?: string;
  readonly version?: number;
  readonly consumes: ProjectionFilter;
  /** The fixed release of the poison-event tests: a negative weight counts as zero. */
  readonly clampNegativeWeights?: boolean;
  /** Called after the batch's rows are written, before the runner commits: where tests crash or hold a batch. */
  readonly afterWrite?: (batch: readonly RecordedEnvelope[]) => Promise<void> | void;
}

/**
 * The runner's test projection: `stream_counts` with one row per stream. A CHECK keeps the
 * weight non-negative, so an event with a large negative weight is a poison event that
 * fails in SQL, inside the batch transaction.
 */
export function streamCountsProjection(options: StreamCountsOptions): Projection {
  return {
    name: options.name ?? 'stream_counts',
    version: options.version ?? 1,
    consumes: options.consumes,
    createTables: (schema: ProjectionSchema) => [
      `CREATE TABLE ${schema.table('stream_counts')} (
         stream_name text PRIMARY KEY,
         events integer NOT NULL,
         weight bigint NOT NULL CONSTRAINT stream_counts_weight_not_negative CHECK (weight >= 0),
         last_revision bigint NOT NULL,
         last_type text NOT NULL
       )`,
    ],
    apply: async (batch, tx) => {
      await writeStreamCounts(countByStream(batch, { clampNegativeWeights: options.clampNegativeWeights ?? false }), tx);
      await options.afterWrite?.(batch);
    },
  };
}

/** One multi-row upsert for the whole batch, the arrays unnested server-side. */
export async function writeStreamCounts(changes: readonly StreamCountChange[], tx: ProjectionTransaction): Promise<void> {
  if (changes.length === 0) return;
  const table = tx.schema.table('stream_counts');
  await tx.query(
    `INSERT INTO ${table} AS counts (stream_name, events, weight, last_revision, last_type)
     SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::bigint[], $5::text[])
     ON CONFLICT (stream_name) DO UPDATE
        SET events = counts.events + excluded.events,
            weight = counts.weight + excluded.weight,
            last_revision = excluded.last_revision,
            last_type = excluded.last_type`,
    [
      changes.map((change) => change.streamName),
      changes.map((change) => change.events),
      changes.map((change) => change.weight),
      changes.map((change) => change.lastRevision.toString()),
      changes.map((change) => change.lastType),
    ],
  );
}
