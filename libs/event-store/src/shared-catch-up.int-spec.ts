import { useEventStore, type EventStoreHandle } from '../../../test/support/event-store';
import { comparePositions, type Position, type RecordedEnvelope } from './envelope';
import { EventStore } from './event-store';
import { SharedCatchUp, type FeedSubscription, type SharedCatchUpSettings } from './shared-catch-up';
import type { AllSubscription, SubscribeToAllOptions } from './subscription';
import type { SubscriptionFilter } from './subscription-filter';
import { collect, someMetadata, uniqueCategory, waitUntil } from './test-support/fixtures';

jest.setTimeout(60_000);

interface Consumer {
  readonly events: RecordedEnvelope[];
  readonly checkpoints: Position[];
  readonly reconnects: number[];
  caughtUp: number;
  readonly subscription: FeedSubscription;
}

describe('SharedCatchUp against the event-store dev server', () => {
  let server: EventStoreHandle;
  let store: EventStore;
  /** What the feed asked of the store, in order. */
  let asked: SubscribeToAllOptions[];
  let opened: AllSubscription[];
  /** Where the feed read events again from, for late consumers. */
  let readAgain: Array<Position | 'start'>;
  let feed: SharedCatchUp;
  const consumers: Consumer[] = [];

  function newFeed(settings: Partial<SharedCatchUpSettings> = {}): SharedCatchUp {
    asked = [];
    opened = [];
    readAgain = [];
    return new SharedCatchUp(
      {
        subscribeToAll: (options): AllSubscription => {
          asked.push(options);
          const subscription = store.subscribeToAll(options);
          opened.push(subscription);
          return subscription;
        },
        readAll: (options) => {
          readAgain.push(options.from);
          return store.readAll(options);
        },
      },
      { gatherMs: 100, joinWithinEvents: 50, checkpointEvery: 5, ...settings },
    );
  }

  function consume(filter: SubscriptionFilter, options: { from?: Position | 'start'; handle?: (event: RecordedEnvelope) => Promise<void> } = {}): Consumer {
    const consumer = { events: [] as RecordedEnvelope[], checkpoints: [] as Position[], reconnects: [] as number[], caughtUp: 0 } as Consumer;
    const subscription = feed.subscribeToAll({
      from: options.from ?? 'start',
      filter,
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
      handle: async (event) => {
        await options.handle?.(event);
        consumer.events.push(event);
      },
      onCheckpoint: (position) => void consumer.checkpoints.push(position),
      onCaughtUp: () => void consumer.caughtUp++,
      onReconnecting: ({ attempt }) => void consumer.reconnects.push(attempt),
    });
    Object.assign(consumer, { subscription });
    consumers.push(consumer);
    return consumer;
  }

  async function append(stream: string, count: number): Promise<string[]> {
    const types = Array.from({ length: count }, (_, i) => `Noted${i}`);
    await store.append(
      stream,
      types.map((type, index) => ({ type, data: { index }, metadata: someMetadata() })),
      { expectedRevision: 'any' },
    );
    return types.map((type) => `${stream}/${type}`);
  }

  /** A handler that holds the read at the first event of `type` until released. */
  function holdAt(type: string): { handle(event: RecordedEnvelope): Promise<void>; release(): void } {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    return { handle: async (event) => (event.type === type ? gate : undefined), release };
  }

  const seen = (consumer: Consumer) => consumer.events.map((event) => `${event.streamName}/${event.type}`);
  const fromStart = () => asked.filter((options) => options.from === 'start');

  beforeAll(async () => {
    server = await useEventStore();
    store = new EventStore({ connectionString: server.connectionString });
  });

  beforeEach(() => {
    feed = newFeed();
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((consumer) => consumer.subscription.stop()));
  });

  afterAll(async () => {
    await store.close();
    await server.stop();
  });

  it('reads $all once for consumers starting together, each getting what its own filter passes, then lets each follow alone', async () => {
    const deals = uniqueCategory('deal');
    const leads = uniqueCategory('lead');
    const expectedDeals = [...(await append(`${deals}-1`, 12)), ...(await append(`${deals}-2`, 3))];
    const expectedLeads = await append(`${leads}-1`, 7);
    const moreDeals = await append(`${deals}-1`, 4);

    const onlyDeals = consume({ streamNamePrefixes: [deals] });
    const onlyLeads = consume({ streamNamePrefixes: [leads] });
    const both = consume({ streamNamePrefixes: [leads, deals] });
    await waitUntil(() => consumers.every((consumer) => consumer.caughtUp > 0), 'every consumer caught up');

    expect(seen(onlyDeals)).toEqual([...expectedDeals, ...moreDeals]);
    expect(seen(onlyLeads)).toEqual(expectedLeads);
    expect(seen(both)).toEqual([...expectedDeals, ...expectedLeads, ...moreDeals]);
    // One read from the start, with the union of the filters; then one each from where it ended.
    expect(fromStart()).toHaveLength(1);
    expect(new Set(fromStart()[0].filter?.streamNamePrefixes)).toEqual(new Set([deals, leads]));
    expect(asked).toHaveLength(4);
    // The shared catch-up is read by a worker thread; following live is each consumer's own.
    expect(asked.map((options) => options.readOffThread ?? false)).toEqual([true, false, false, false]);
    expect(feed.openReads).toBe(0);

    // Live: each consumer's own subscription brings what is appended now, once.
    const live = await append(`${leads}-2`, 2);
    await waitUntil(() => onlyLeads.events.length === expectedLeads.length + 2 && both.events.length === 28, 'the live events');
    expect(seen(onlyLeads).slice(-2)).toEqual(live);
    expect(seen(both).slice(-2)).toEqual(live);
    expect(seen(onlyDeals)).toHaveLength(expectedDeals.length + moreDeals.length);
  });

  it('gives a consumer whose filter drops a run of events checkpoints past them, and one at the end before it goes on alone', async () => {
    const deals = uniqueCategory('deal');
    const leads = uniqueCategory('lead');
    const expectedLeads = await append(`${leads}-1`, 2);
    await append(`${deals}-1`, 23);

    const onlyLeads = consume({ streamNamePrefixes: [leads] });
    const onlyDeals = consume({ streamNamePrefixes: [deals] });
    await waitUntil(() => consumers.every((consumer) => consumer.caughtUp > 0), 'both consumers caught up');

    expect(seen(onlyLeads)).toEqual(expectedLeads);
    const lastLead = onlyLeads.events[1].position;
    const lastDeal = onlyDeals.events[onlyDeals.events.length - 1].position;
    const pastLeads = onlyLeads.checkpoints.filter((position) => comparePositions(position, lastLead) > 0);
    // Every fifth dropped deal at least, and the last deal by the end.
    expect(pastLeads.length).toBeGreaterThanOrEqual(4);
    expect(pastLeads.some((position) => comparePositions(position, lastDeal) >= 0)).toBe(true);
    for (let i = 1; i < onlyLeads.checkpoints.length; i++) {
      expect(comparePositions(onlyLeads.checkpoints[i], onlyLeads.checkpoints[i - 1])).toBeGreaterThan(0);
    }
  });

  it('lets a consumer arriving while the read is under way join it, once handed the events before, read again from the store', async () => {
    const deals = uniqueCategory('deal');
    const expected = await append(`${deals}-1`, 30);
    const { handle, release } = holdAt('Noted10');
    const early = consume({ streamNamePrefixes: [deals] }, { handle });
    await waitUntil(() => early.events.length === 10, 'the early consumer to hold the read at its eleventh event');

    const late = consume({ streamNamePrefixes: [deals] });
    release();
    await waitUntil(() => consumers.every((consumer) => consumer.caughtUp > 0), 'both consumers caught up');

    expect(seen(early)).toEqual(expected);
    expect(seen(late)).toEqual(expected);
    expect(fromStart()).toHaveLength(1);
    expect(readAgain).toEqual(['start']);
  });

  it('gives a consumer arriving further behind the read than joinWithinEvents a read of its own', async () => {
    feed = newFeed({ joinWithinEvents: 8 });
    const deals = uniqueCategory('deal');
    const expected = await append(`${deals}-1`, 40);
    const { handle, release } = holdAt('Noted30');
    const early = consume({ streamNamePrefixes: [deals] }, { handle });
    await waitUntil(() => early.events.length === 30, 'the early consumer to hold the read at its 31st event');

    const late = consume({ streamNamePrefixes: [deals] });
    await waitUntil(() => late.caughtUp > 0, 'the late consumer caught up on its own');
    release();
    await waitUntil(() => early.caughtUp > 0, 'the early consumer caught up');

    expect(seen(early)).toEqual(expected);
    expect(seen(late)).toEqual(expected);
    expect(fromStart()).toHaveLength(2);
    expect(readAgain).toEqual([]);
  });

  it('gives a late consumer its own read when the shared one does not bring its events', async () => {
    const deals = uniqueCategory('deal');
    const leads = uniqueCategory('lead');
    const expectedDeals = await append(`${deals}-1`, 20);
    const expectedLeads = await append(`${leads}-1`, 3);
    const { handle, release } = holdAt('Noted5');
    const early = consume({ streamNamePrefixes: [deals] }, { handle });
    await waitUntil(() => early.events.length === 5, 'the early consumer to hold the read');

    const late = consume({ streamNamePrefixes: [leads] });
    await waitUntil(() => late.caughtUp > 0, 'the late consumer caught up on its own');
    release();
    await waitUntil(() => early.caughtUp > 0, 'the early consumer caught up');

    expect(seen(early)).toEqual(expectedDeals);
    expect(seen(late)).toEqual(expectedLeads);
    expect(fromStart()).toHaveLength(2);
  });

  it('gives a consumer that is past the shared read a read from its own position', async () => {
    const deals = uniqueCategory('deal');
    const expected = [...(await append(`${deals}-1`, 5)), ...(await append(`${deals}-2`, 5))];
    const positions = (await collect(store.readAll())).filter((event) => event.streamName.startsWith(deals)).map((event) => event.position);
    const { handle, release } = holdAt('Noted1');
    const behind = consume({ streamNamePrefixes: [deals] }, { handle });
    await waitUntil(() => behind.events.length === 1, 'the shared read held at the second event');

    const ahead = consume({ streamNamePrefixes: [deals] }, { from: positions[6] });
    await waitUntil(() => ahead.caughtUp > 0, 'the consumer ahead caught up');
    release();
    await waitUntil(() => behind.caughtUp > 0, 'the consumer behind caught up');
    expect(seen(ahead)).toEqual(expected.slice(7));
    expect(seen(behind)).toEqual(expected);
    expect(asked.filter((options) => options.from !== 'start' && comparePositions(options.from as Position, positions[6]) === 0)).toHaveLength(1);
  });

  it('fails only the consumer whose handler throws; the others read on', async () => {
    const deals = uniqueCategory('deal');
    const expected = await append(`${deals}-1`, 8);
    const broken = consume({ streamNamePrefixes: [deals] }, {
      handle: async (event) => {
        if (event.type === 'Noted3') throw new Error('cannot take Noted3');
      },
    });
    const healthy = consume({ streamNamePrefixes: [deals] });

    await expect(broken.subscription.closed).rejects.toThrow('cannot take Noted3');
    await waitUntil(() => healthy.caughtUp > 0, 'the healthy consumer caught up');
    expect(seen(healthy)).toEqual(expected);
    expect(seen(broken)).toEqual(expected.slice(0, 3));
  });

  it('fails a consumer whose handler throws once it follows alone, reporting the error once', async () => {
    const deals = uniqueCategory('deal');
    await append(`${deals}-1`, 3);
    const errors: Error[] = [];
    const subscription = feed.subscribeToAll({
      from: 'start',
      filter: { streamNamePrefixes: [deals] },
      handle: async (event) => {
        if (event.type === 'Noted0' && event.streamName.endsWith('-live')) throw new Error('cannot take the live event');
      },
      onError: (error) => void errors.push(error),
    });
    consumers.push({ events: [], checkpoints: [], reconnects: [], caughtUp: 0, subscription });
    await waitUntil(() => asked.length === 2, 'the consumer to follow alone');

    await append(`${deals}-live`, 1);
    await expect(subscription.closed).rejects.toThrow('cannot take the live event');
    expect(errors.map((error) => error.message)).toEqual(['cannot take the live event']);
  });

  it('keeps reading for the consumers left when one stops, and ends the read when the last does', async () => {
    const deals = uniqueCategory('deal');
    const expected = await append(`${deals}-1`, 20);
    const { handle, release } = holdAt('Noted4');
    const staying = consume({ streamNamePrefixes: [deals] }, { handle });
    const leaving = consume({ streamNamePrefixes: [deals] });
    await waitUntil(() => staying.events.length === 4 && leaving.events.length >= 4, 'both consumers under way');

    await leaving.subscription.stop();
    await expect(leaving.subscription.closed).resolves.toBeUndefined();
    const leftWith = leaving.events.length;
    release();
    await waitUntil(() => staying.caughtUp > 0, 'the staying consumer caught up');
    expect(seen(staying)).toEqual(expected);
    expect(leaving.events).toHaveLength(leftWith);

    // The read ends with its last consumer, without a subscription of its own for it.
    const again = newFeed();
    let handling = false;
    let free!: () => void;
    const hold = new Promise<void>((resolve) => (free = resolve));
    const alone = again.subscribeToAll({
      from: 'start',
      filter: { streamNamePrefixes: [deals] },
      handle: () => {
        handling = true;
        return hold;
      },
    });
    await waitUntil(() => handling, 'the read to bring an event');
    const stopped = alone.stop();
    free();
    await stopped;
    expect(again.openReads).toBe(0);
    expect(asked).toHaveLength(1);
    expect(opened[opened.length - 1].state).toBe('stopped');
  });

  it('carries on across the event store going away, without losing or repeating an event', async () => {
    const deals = uniqueCategory('deal');
    // More events than the reading thread reads ahead of what has been taken (4,000): the
    // store goes away before the read has reached the end of the log.
    const expected: string[] = [];
    for (let stream = 1; stream <= 5; stream++) expected.push(...(await append(`${deals}-${stream}`, 1_000)));
    const { handle, release } = holdAt('Noted15');
    const first = consume({ streamNamePrefixes: [deals] }, { handle });
    const second = consume({ streamNamePrefixes: [deals] });
    await waitUntil(() => first.events.length === 15, 'the read held mid-way');

    await server.restart();
    release();
    await waitUntil(() => consumers.every((consumer) => consumer.caughtUp > 0), 'both consumers caught up', 30_000);
    expect(seen(first)).toEqual(expected);
    expect(seen(second)).toEqual(expected);
    expect(first.reconnects.length).toBeGreaterThan(0);
    expect(second.reconnects.length).toBeGreaterThan(0);
  });
});
