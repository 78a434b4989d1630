import { once } from 'node:events';
import { useEventStore, type EventStoreHandle } from '../../../test/support/event-store';
import { comparePositions, isUuid, type Position, type RecordedEnvelope } from './envelope';
import { EventStoreUnavailableError } from './errors';
import { EventStore } from './event-store';
import { OffThreadRead, type OffThreadReadOptions } from './off-thread-read';
import { closedPort, someMetadata, uniqueCategory, waitUntil } from './test-support/fixtures';

jest.setTimeout(60_000);

describe('OffThreadRead against the event-store dev server', () => {
  let server: EventStoreHandle;
  let store: EventStore;
  const reads: OffThreadRead[] = [];

  function open(options: Omit<OffThreadReadOptions, 'connectionString'> & { connectionString?: string }): OffThreadRead {
    const read = new OffThreadRead({ connectionString: server.connectionString, ...options });
    reads.push(read);
    return read;
  }

  /** A read of one category's streams from the start of `$all`. */
  function readCategory(
    category: string,
    pace: Pick<OffThreadReadOptions, 'checkpointInterval' | 'batchSize' | 'window'>,
    checkpointReached: OffThreadReadOptions['checkpointReached'],
  ): OffThreadRead {
    return open({ from: 'start', filter: { streamNamePrefixes: [category] }, ...pace, checkpointReached });
  }

  /** `streams` streams of a new category, `events` events each: the category and each event as `stream@revision`, in order. */
  async function writeDeals(streams: number, events: number): Promise<{ category: string; written: string[] }> {
    const category = uniqueCategory('deal');
    const written: string[] = [];
    for (let stream = 0; stream < streams; stream++) {
      const noted = Array.from({ length: events }, (_, index) => ({ type: 'DealNoted', data: { index }, metadata: someMetadata() }));
      await store.append(`${category}-${stream}`, noted, { expectedRevision: 'no_stream' });
      written.push(...noted.map((_, index) => `${category}-${stream}@${index}`));
    }
    return { category, written };
  }

  beforeAll(async () => {
    server = await useEventStore();
    store = new EventStore({ connectionString: server.connectionString });
  });

  afterEach(async () => {
    for (const read of reads.splice(0)) {
      await read.unsubscribe();
      read.destroy();
    }
  });

  afterAll(async () => {
    await store.close();
    await server.stop();
  });

  it('reads no further ahead than its window, and hands over every event in order with each checkpoint after the events before it', async () => {
    const { category, written } = await writeDeals(12, 10);
    const checkpoints: Array<{ position: Position; arrived: number }> = [];
    let taken = 0;
    let caughtUpAt: number | undefined;
    const read = readCategory(category, { checkpointInterval: 1, batchSize: 10, window: 30 }, (position) =>
      checkpoints.push({ position, arrived: taken + read.readableLength }),
    );
    read.on('caughtUp', () => (caughtUpAt = taken + read.readableLength));

    // Nothing is read here yet: the reading thread stops at its window.
    await waitUntil(() => read.readableLength >= 30, 'the first window to arrive');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(read.readableLength).toBe(30);

    const delivered: string[] = [];
    const positions: Position[] = [];
    let first: RecordedEnvelope | undefined;
    while (caughtUpAt === undefined || delivered.length < caughtUpAt) {
      const item = read.read();
      if (item === null) {
        await nextArrival(read);
        continue;
      }
      taken++;
      first ??= item;
      delivered.push(`${item.streamName}@${String(item.revision)}`);
      positions.push(item.position);
    }
    expect(delivered).toEqual(written);
    // Envelopes, data as stored.
    expect(first).toMatchObject({ type: 'DealNoted', data: { index: 0 }, metadata: { source: 'api', schemaVersion: 1 }, revision: 0n });
    expect(isUuid(first!.eventId)).toBe(true);
    // A Date of the realm the thread's messages arrive in, not of the test's sandbox.
    expect(Object.prototype.toString.call(first!.recordedAt)).toBe('[object Date]');
    expect(typeof first!.position.commit).toBe('bigint');
    expect(caughtUpAt).toBe(120);
    expect(checkpoints.length).toBeGreaterThan(0);
    for (const { position, arrived } of checkpoints) {
      const before = positions.filter((event) => comparePositions(event, position) <= 0).length;
      expect(arrived).toBeGreaterThanOrEqual(before);
    }
  });

  it('sends the events in batches while this side has some to read, not a message per event', async () => {
    const { category } = await writeDeals(4, 50);
    // Checkpoints send what is batched before them: few of them here.
    const read = readCategory(category, { checkpointInterval: 1_000, batchSize: 100, window: 200 }, () => undefined);
    let messages = 0;
    read.on('readable', () => messages++);

    // Nothing is read here: after the first message, this side always has events to read.
    await waitUntil(() => read.readableLength >= 200, 'the window to arrive');
    expect(read.readableLength).toBe(200);
    // The first event goes at once (this side had read everything it was sent: nothing), the
    // rest in full batches, or in a batch cut short when the events stopped coming for a while.
    expect(messages).toBeLessThanOrEqual(6);
  });

  it('refuses a batch size, window or linger that is not a count, naming it, before it starts a thread', () => {
    const base = { from: 'start' as const, filter: undefined, checkpointInterval: 1, checkpointReached: () => undefined };
    expect(() => open({ ...base, batchSize: 0 })).toThrow('batchSize must be an integer of at least 1, not 0');
    expect(() => open({ ...base, window: 2.5 })).toThrow('window must be an integer of at least 1, not 2.5');
    expect(() => open({ ...base, lingerMs: -1 })).toThrow('lingerMs must be an integer of at least 0, not -1');
  });

  it('reports a store it cannot reach as unavailable, so that the subscription retries', async () => {
    const read = open({
      connectionString: `esdb://127.0.0.1:${await closedPort()}?tls=false`,
      from: 'start',
      filter: undefined,
      checkpointInterval: 1,
      checkpointReached: () => undefined,
    });
    const [error] = (await once(read, 'error')) as [Error];
    expect(error).toBeInstanceOf(EventStoreUnavailableError);
    expect(error.message).toMatch(/unavailable/i);
  });
});

/** Resolves once more events or the end of the log arrive. */
function nextArrival(read: OffThreadRead): Promise<void> {
  return new Promise<void>((resolve) => {
    const arrived = () => {
      read.off('readable', arrived);
      read.off('caughtUp', arrived);
      resolve();
    };
    read.on('readable', arrived);
    read.on('caughtUp', arrived);
  });
}
