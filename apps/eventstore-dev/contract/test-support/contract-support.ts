import { randomUUID } from 'node:crypto';
import {
  EventStoreDBClient,
  jsonEvent,
  type AllStreamResolvedEvent,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ResolvedEvent,
  type StreamSubscription,
  type AllStreamSubscription,
} from '@eventstore/db-client';
import { useEventStore, type EventStoreHandle, type EventStoreOptions } from '../../../../test/support/event-store';

/**
 * One event store and one client per spec file, through useEventStore(), so
 * that the suite runs unchanged against a real EventStoreDB when
 * EVENTSTORE_URL is set.
 */
export function connectToEventStore(options?: EventStoreOptions): {
  client: () => EventStoreDBClient;
  store: () => EventStoreHandle;
} {
  let store: EventStoreHandle | undefined;
  let client: EventStoreDBClient | undefined;
  beforeAll(async () => {
    store = await useEventStore(options);
    client = EventStoreDBClient.connectionString(store.connectionString);
  });
  afterAll(async () => {
    await client?.dispose();
    await store?.stop();
  });
  return { client: () => client!, store: () => store! };
}

/** Per-call credentials make the client use Streams.Append instead of BatchAppend. */
export const APPEND_PATHS = [
  ['BatchAppend', {}],
  ['Append', { credentials: { username: 'admin', password: 'changeit' } }],
] as const;

/** Unique names keep tests independent of each other and of a real server's own streams. */
export function uniqueStream(prefix = 'contract'): string {
  return `${prefix}-${randomUUID().replace(/-/g, '')}`;
}

export function someEvents(count: number, type = 'ThingHappened') {
  return Array.from({ length: count }, (_, index) => jsonEvent({ type, data: { index } }));
}

export async function readStreamEvents(client: EventStoreDBClient, stream: string, options?: ReadStreamOptions) {
  const events = [];
  for await (const resolved of client.readStream(stream, options)) events.push(resolved.event!);
  return events;
}

export async function readResolvedEvents(client: EventStoreDBClient, stream: string, options?: ReadStreamOptions) {
  const events: ResolvedEvent[] = [];
  for await (const resolved of client.readStream(stream, options)) events.push(resolved);
  return events;
}

export async function readAllEvents(client: EventStoreDBClient, options: ReadAllOptions) {
  const events: AllStreamResolvedEvent[] = [];
  for await (const resolved of client.readAll(options)) events.push(resolved);
  return events;
}

export type TimelineEntry =
  | { kind: 'confirmation' }
  | { kind: 'caughtUp' }
  | { kind: 'fellBehind' }
  | { kind: 'event'; event: ResolvedEvent }
  | { kind: 'checkpoint'; position: Position }
  | { kind: 'error'; error: Error };

/** Records everything a subscription emits, in order. */
export function recordTimeline(
  subscription: StreamSubscription | AllStreamSubscription,
  timeline: TimelineEntry[] = [],
): TimelineEntry[] {
  subscription
    .on('confirmation', () => timeline.push({ kind: 'confirmation' }))
    .on('caughtUp', () => timeline.push({ kind: 'caughtUp' }))
    .on('fellBehind', () => timeline.push({ kind: 'fellBehind' }))
    .on('data', (event: ResolvedEvent) => timeline.push({ kind: 'event', event }))
    .on('error', (error: Error) => timeline.push({ kind: 'error', error }));
  return timeline;
}

export function checkpointRecorder(timeline: TimelineEntry[]) {
  return async (_subscription: unknown, position: Position): Promise<void> => {
    timeline.push({ kind: 'checkpoint', position });
  };
}

export function eventsOf(timeline: TimelineEntry[]) {
  return timeline.flatMap((entry) => (entry.kind === 'event' ? [entry.event] : []));
}

export function kindsOf(timeline: TimelineEntry[]): string[] {
  return timeline.map((entry) => (entry.kind === 'event' ? `event:${entry.event.event?.revision}` : entry.kind));
}

/** Polls until `condition` holds; fails with `description` after `timeoutMs`. */
export async function eventually(condition: () => boolean, description: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const TOMBSTONE_REVISION = 9223372036854775807n;
