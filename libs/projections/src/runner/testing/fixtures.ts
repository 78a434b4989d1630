import { randomUUID } from 'node:crypto';
import {
  EventStoreFailureError,
  EventStoreUnavailableError,
  type EventStore,
  type NewEventMetadata,
  type Position,
} from '@revops/event-store';
import type { RunnerSettings } from '../projection-runner';
import type { Sql } from '../read-store-sql';

export const FIXED_TIME = '2024-05-02T10:00:00.000Z';

export function someMetadata(): NewEventMetadata {
  return {
    $correlationId: 'corr-1',
    $causationId: 'cmd-1',
    actor: { type: 'system', id: 'projection-tests' },
    source: 'system',
    occurredAt: FIXED_TIME,
  };
}

/** Runner settings that keep integration tests quick: small batches, short waits, no grace period. */
export const FAST_RUNNER: Partial<RunnerSettings> = {
  maxBatchSize: 25,
  maxBatchWaitMs: 5,
  queueCapacity: 50,
  pollIntervalMs: 50,
  leaseRetryMs: 50,
  checkpointWriteIntervalMs: 0,
  retiredTablesGraceMs: 0,
  retry: { maxAttempts: 2, initialDelayMs: 5, maxDelayMs: 20, multiplier: 2, jitter: 0 },
  reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
};

/** A stream category no other test uses, so `$all` filters see only this test's events. */
export function uniqueCategory(name: string): string {
  return `${name}${randomUUID().replace(/-/g, '').slice(0, 10)}`;
}

export interface Written {
  readonly streamName: string;
  /** Position of the append that wrote the event: exact for the last event of each append. */
  readonly position: Position;
  readonly weight: number;
}

/**
 * Appends `count` events in appends of `perAppend` (default 10), the appends going round-robin
 * to `streams` streams of the category. An append the store refuses while it restarts is
 * retried with the same event ids, so a write whose answer was lost is not written twice.
 */
export async function appendEvents(
  store: EventStore,
  category: string,
  count: number,
  options: { streams?: number; perAppend?: number; weight?: (index: number) => number } = {},
): Promise<Written[]> {
  const streams = options.streams ?? 3;
  const perAppend = options.perAppend ?? 10;
  const written: Written[] = [];
  for (let first = 0, append = 0; first < count; first += perAppend, append++) {
    const streamName = `${category}-${append % streams}`;
    const events = [];
    for (let index = first; index < Math.min(count, first + perAppend); index++) {
      const weight = options.weight?.(index) ?? 1;
      events.push({ eventId: randomUUID(), type: 'Counted', data: { index, weight }, metadata: someMetadata() });
    }
    for (;;) {
      try {
        const { position } = await store.append(streamName, events, { expectedRevision: 'any' });
        for (const event of events) written.push({ streamName, position, weight: event.data.weight });
        break;
      } catch (error) {
        if (!(error instanceof EventStoreUnavailableError || error instanceof EventStoreFailureError)) throw error;
        await sleep(20);
      }
    }
  }
  return written;
}

/** What `stream_counts` should hold for these events, in the order the checksum uses. */
export function expectedCounts(written: readonly Written[]): Array<{ stream_name: string; events: number; weight: number }> {
  const byStream = new Map<string, { stream_name: string; events: number; weight: number }>();
  for (const event of written) {
    const row = byStream.get(event.streamName) ?? { stream_name: event.streamName, events: 0, weight: 0 };
    row.events++;
    row.weight += event.weight;
    byStream.set(event.streamName, row);
  }
  return [...byStream.values()].sort((a, b) => (a.stream_name < b.stream_name ? -1 : a.stream_name > b.stream_name ? 1 : 0));
}

export async function countsIn(
  sql: Sql,
  schemaName: string,
): Promise<Array<{ stream_name: string; events: number; weight: number }>> {
  return sql.query(
    `SELECT stream_name, events, weight::int AS weight FROM "${schemaName}".stream_counts ORDER BY stream_name COLLATE "C"`,
  );
}

/** An md5 over every row of a table of a version (stream_counts unless named), each row as text, in text order. */
export async function checksumOf(sql: Sql, schemaName: string, table = 'stream_counts'): Promise<string> {
  const [row] = await sql.query<{ checksum: string }>(
    `SELECT md5(coalesce(string_agg(line, ',' ORDER BY line COLLATE "C"), '')) AS checksum
       FROM (SELECT stored::text AS line FROM "${schemaName}"."${table}" AS stored) AS lines`,
  );
  return row.checksum;
}

/** Every table of a projection version's schema by name, with the checksum of its rows. */
export async function checksumsOfSchema(sql: Sql, schemaName: string): Promise<Record<string, string>> {
  const tables = await sql.query<{ table_name: string }>(
    'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
    [schemaName],
  );
  const checksums: Record<string, string> = {};
  for (const { table_name } of tables) checksums[table_name] = await checksumOf(sql, schemaName, table_name);
  return checksums;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function eventually<T>(
  probe: () => Promise<T> | T,
  accept: (value: T) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}; last seen ${JSON.stringify(value, jsonSafe)}`);
    }
    await sleep(20);
  }
}

function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
