import { randomUUID } from 'node:crypto';
import { EventStoreDBClient } from '@eventstore/db-client';
import { useEventStore, type EventStoreHandle } from '../../../test/support/event-store';
import { comparePositions, type Position, type RecordedEnvelope } from './envelope';
import { EventStore } from './event-store';
import { EventStoreFailureError, EventStoreUnavailableError } from './errors';
import type { AllSubscription } from './subscription';
import { closedPort, collect, sleep, someMetadata, uniqueCategory, waitUntil } from './test-support/fixtures';
import { UpcasterRegistry } from './upcasters';

jest.setTimeout(60_000);

const registry = new UpcasterRegistry([
  { type: 'LeadScored', currentVersion: 2, upcasters: { 1: (v1: { score: number }) => ({ score: v1.score, model: 'rules' }) } },
]);

// Every case runs twice: events read on the subscriber's thread, and read by a worker thread.
describe.each([false, true])('EventStore.subscribeToAll against the event-store dev server (read off thread: %s)', (readOffThread) => {
  let server: EventStoreHandle;
  let store: EventStore;
  let raw: EventStoreDBClient;
  const running: AllSubscription[] = [];

  function subscribe(options: Parameters<EventStore['subscribeToAll']>[0]): AllSubscription {
    const subscription = store.subscribeToAll({ reconnect: { initialDelayMs: 50, maxDelayMs: 400 }, readOffThread, ...options });
    running.push(subscription);
    return subscription;
  }

  async function appendTo(stream: string, types: string[], data: (index: number) => object = (index) => ({ index })) {
    return store.append(
      stream,
      types.map((type, index) => ({ type, data: data(index), metadata: someMetadata() })),
      { expectedRevision: 'any' },
    );
  }

  beforeAll(async () => {
    server = await useEventStore();
    store = new EventStore({ connectionString: server.connectionString, upcasters: registry });
    raw = EventStoreDBClient.connectionString(server.connectionString);
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((subscription) => subscription.stop()));
  });

  afterAll(async () => {
    await Promise.all([store.close(), raw.dispose()]);
    await server.stop();
  });

  it('delivers history then live events in order, upcast, and says when it has caught up', async () => {
    const category = uniqueCategory('contact');
    // Written by a release that knew LeadScored only at v1.
    const previousRelease = new EventStore({ connectionString: server.connectionString });
    await previousRelease.append(
      `${category}-1`,
      [
        { type: 'LeadCaptured', data: { email: 'a@b.test' }, metadata: someMetadata() },
        { type: 'LeadScored', data: { score: 40 }, metadata: someMetadata() },
      ],
      { expectedRevision: 'no_stream' },
    );
    await previousRelease.close();
    const handled: RecordedEnvelope[] = [];
    let caughtUpAfter = -1;

    const subscription = subscribe({
      from: 'start',
      filter: { streamNamePrefixes: [`${category}-`] },
      handle: (envelope) => {
        handled.push(envelope);
      },
      onCaughtUp: () => {
        caughtUpAfter = handled.length;
      },
    });
    await waitUntil(() => caughtUpAfter >= 0, 'caught up');
    expect(subscription.state).toBe('live');
    await appendTo(`${category}-2`, ['LeadCaptured']);
    await waitUntil(() => handled.length === 3, 'the live event is handled');

    expect(caughtUpAfter).toBe(2);
    expect(handled.map((event) => [event.streamName, event.type])).toEqual([
      [`${category}-1`, 'LeadCaptured'],
      [`${category}-1`, 'LeadScored'],
      [`${category}-2`, 'LeadCaptured'],
    ]);
    expect(handled[1].data).toEqual({ score: 40, model: 'rules' });
    expect(subscription.connected).toBe(true);
    expect(subscription.lastPosition).toEqual(handled[2].position);
  });

  it('applies stream-prefix, event-type-prefix and stream-regex filters, and never delivers system events', async () => {
    const category = uniqueCategory('opportunity');
    await appendTo(`${category}-1`, ['OpportunityOpened', 'StageChanged', 'ClosedWon']);
    await appendTo(`${category}-22`, ['OpportunityOpened', 'ClosedLost']);
    await appendTo(`x${category}-3`, ['ClosedWon']);
    await raw.setStreamMetadata(`${category}-1`, { $maxCount: 50 });
    const marker = `${uniqueCategory('marker')}-1`;
    await appendTo(marker, ['Marker']);

    async function deliveredWith(filter: Parameters<EventStore['subscribeToAll']>[0]['filter']): Promise<string[]> {
      const seen: string[] = [];
      let done = false;
      subscribe({
        from: 'start',
        filter,
        handle: (event) => {
          if (event.streamName === marker) done = true;
          else if (event.streamName.includes(category)) seen.push(`${event.streamName.replace(category, '')}:${event.type}`);
        },
        onCaughtUp: () => {
          done = true;
        },
      });
      await waitUntil(() => done, 'caught up');
      return seen;
    }

    expect(await deliveredWith({ streamNamePrefixes: [`${category}-`, marker] })).toEqual([
      '-1:OpportunityOpened',
      '-1:StageChanged',
      '-1:ClosedWon',
      '-22:OpportunityOpened',
      '-22:ClosedLost',
    ]);
    expect(await deliveredWith({ streamNamePrefixes: [`${category}-`], eventTypePrefixes: ['Closed'] })).toEqual([
      '-1:ClosedWon',
      '-22:ClosedLost',
    ]);
    expect(await deliveredWith({ streamNameRegex: `^x?${category}-\\d{2}$` })).toEqual(['-22:OpportunityOpened', '-22:ClosedLost']);
    const everything = await deliveredWith(undefined);
    expect(everything).toHaveLength(6);
    expect(everything.some((entry) => entry.includes('$'))).toBe(false);
  });

  it('resumes strictly after a given position', async () => {
    const category = uniqueCategory('campaign');
    await appendTo(`${category}-1`, ['CampaignCreated']);
    const checkpoint = await appendTo(`${category}-1`, ['CampaignSpendRecorded']);
    await appendTo(`${category}-1`, ['CampaignSpendRecorded', 'CampaignSpendRecorded']);
    const handled: RecordedEnvelope[] = [];

    subscribe({ from: checkpoint.position, filter: { streamNamePrefixes: [`${category}-`] }, handle: (event) => void handled.push(event) });
    await waitUntil(() => handled.length === 2, 'the two later events are handled');
    await sleep(100);

    expect(handled.map((event) => event.revision)).toEqual([2n, 3n]);
  });

  it('from the end, delivers only what is appended afterwards', async () => {
    const category = uniqueCategory('account');
    await appendTo(`${category}-1`, ['AccountCreated']);
    const handled: RecordedEnvelope[] = [];
    let caughtUp = false;

    subscribe({
      from: 'end',
      filter: { streamNamePrefixes: [`${category}-`] },
      handle: (event) => void handled.push(event),
      onCaughtUp: () => {
        caughtUp = true;
      },
    });
    await waitUntil(() => caughtUp, 'caught up');
    await appendTo(`${category}-1`, ['ContactAssociated']);
    await waitUntil(() => handled.length === 1, 'the new event is handled');

    expect(handled.map((event) => event.type)).toEqual(['ContactAssociated']);
  });

  it('reports checkpoints only once every matching event before them is handled', async () => {
    const category = uniqueCategory('journey');
    const log: Array<['event' | 'checkpoint', Position]> = [];
    // Plenty of events the filter drops, so the server has something to checkpoint past.
    const noise = `${uniqueCategory('noise')}-1`;
    for (let batch = 0; batch < 3; batch++) {
      await appendTo(`${category}-1`, ['TouchpointRecorded', 'TouchpointRecorded']);
      await appendTo(noise, Array.from({ length: 30 }, () => 'Noise'));
    }
    let caughtUp = false;

    subscribe({
      from: 'start',
      filter: { streamNamePrefixes: [`${category}-`] },
      handle: async (event) => {
        // A slow handler lets the client's buffer fill up ahead of it.
        await sleep(5);
        log.push(['event', event.position]);
      },
      onCheckpoint: (position) => void log.push(['checkpoint', position]),
      onCaughtUp: () => {
        caughtUp = true;
      },
    });
    await waitUntil(() => caughtUp, 'caught up');

    const events = log.filter(([kind]) => kind === 'event');
    const checkpoints = log.filter(([kind]) => kind === 'checkpoint');
    expect(events).toHaveLength(6);
    expect(checkpoints.length).toBeGreaterThan(0);
    log.forEach(([kind, position], index) => {
      if (kind !== 'checkpoint') return;
      const handledBefore = log.slice(0, index).filter(([k]) => k === 'event').length;
      const atOrBefore = events.filter(([, eventPosition]) => comparePositions(eventPosition, position) <= 0).length;
      expect(handledBefore).toBe(atOrBefore);
    });
    const positions = checkpoints.map(([, position]) => position);
    expect([...positions].sort(comparePositions)).toEqual(positions);
  });

  it('survives a restart of the store mid-stream with no event lost or repeated', async () => {
    const stream = `${uniqueCategory('journey')}-anon-1`;
    const written: string[] = [];
    const handled: string[] = [];
    const states = new Set<string>();
    let revision: bigint | 'no_stream' = 'no_stream';

    // Retries with the same event id and expected revision, so a write whose answer was
    // lost in the restart is not written twice.
    async function writeOne(index: number): Promise<void> {
      const eventId = randomUUID();
      for (;;) {
        try {
          const result = await store.append(
            stream,
            [{ eventId, type: 'TouchpointRecorded', data: { index }, metadata: someMetadata({ source: 'tracker' }) }],
            { expectedRevision: revision },
          );
          revision = result.nextExpectedRevision;
          written.push(eventId);
          return;
        } catch (error) {
          if (!(error instanceof EventStoreUnavailableError || error instanceof EventStoreFailureError)) throw error;
          await sleep(20);
        }
      }
    }
    async function writeMany(from: number, count: number, pauseMs = 0): Promise<void> {
      for (let index = from; index < from + count; index++) {
        await writeOne(index);
        if (pauseMs) await sleep(pauseMs);
      }
    }

    const subscription = subscribe({
      from: 'start',
      filter: { streamNamePrefixes: [stream] },
      handle: async (event) => {
        handled.push(event.eventId);
        states.add(subscription.state);
        // Slower than the writer, so a backlog sits in the client's buffer when the connection drops.
        await sleep(8);
      },
      onReconnecting: () => states.add('reconnecting'),
    });

    await writeMany(0, 10);
    await waitUntil(() => handled.length >= 3, 'some events are handled');
    // Writes keep going while the store restarts underneath both writer and subscription.
    const writingThrough = writeMany(10, 20, 10);
    await sleep(30);
    await server.restart();
    await writingThrough;
    await writeMany(30, 10);
    await waitUntil(() => handled.length >= written.length, 'every written event is handled', 30_000);
    await sleep(200);

    expect(written).toHaveLength(40);
    expect(handled).toEqual(written);
    expect(states.has('reconnecting')).toBe(true);
    expect(subscription.reconnects).toBeGreaterThan(0);
    expect(subscription.connected).toBe(true);
    const stored = await collect(store.readStream(stream));
    expect(stored.map((event) => event.eventId)).toEqual(written);
  });

  it('stops cleanly: the handler in progress finishes and nothing is handled afterwards', async () => {
    const stream = `${uniqueCategory('contact')}-1`;
    const handled: number[] = [];
    let entered = false;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));

    const subscription = subscribe({
      from: 'start',
      filter: { streamNamePrefixes: [stream] },
      handle: async (event) => {
        entered = true;
        await gate;
        handled.push((event.data as { index: number }).index);
      },
    });
    await appendTo(stream, ['LeadCaptured', 'LeadScored']);
    try {
      await waitUntil(() => entered, 'the first event is being handled');
      const stopping = subscription.stop();
      await sleep(20);
      expect(subscription.state).not.toBe('stopped');
      release();
      await stopping;
    } finally {
      release();
    }
    await appendTo(stream, ['LeadCaptured']);
    await sleep(100);

    expect(handled).toEqual([0]);
    expect(subscription.state).toBe('stopped');
    expect(subscription.connected).toBe(false);
    await expect(subscription.closed).resolves.toBeUndefined();
  });

  it('fails, and says why, when a handler throws', async () => {
    const stream = `${uniqueCategory('contact')}-1`;
    await appendTo(stream, ['LeadCaptured', 'LeadScored']);
    const reported: Error[] = [];
    const handled: string[] = [];

    const subscription = subscribe({
      from: 'start',
      filter: { streamNamePrefixes: [stream] },
      handle: (event) => {
        if (event.type === 'LeadScored') throw new Error('projection bug');
        handled.push(event.type);
      },
      onError: (error) => void reported.push(error),
    });

    await expect(subscription.closed).rejects.toThrow('projection bug');
    expect(subscription.state).toBe('failed');
    expect(subscription.error?.message).toBe('projection bug');
    expect(reported).toHaveLength(1);
    expect(handled).toEqual(['LeadCaptured']);
    expect(subscription.lastPosition).not.toBeNull();
  });

  it('fails the same way when a handler rejects later, and handles nothing after it', async () => {
    const stream = `${uniqueCategory('contact')}-1`;
    await appendTo(stream, ['LeadCaptured', 'LeadScored', 'LeadQualified']);
    const reported: Error[] = [];
    const handled: string[] = [];

    const subscription = subscribe({
      from: 'start',
      filter: { streamNamePrefixes: [stream] },
      handle: async (event) => {
        await sleep(5);
        if (event.type === 'LeadScored') throw new Error('projection bug, found late');
        handled.push(event.type);
      },
      onError: (error) => void reported.push(error),
    });

    await expect(subscription.closed).rejects.toThrow('projection bug, found late');
    expect(subscription.state).toBe('failed');
    expect(reported.map((error) => error.message)).toEqual(['projection bug, found late']);
    expect(handled).toEqual(['LeadCaptured']);
  });

  it('gives up after the configured number of reconnect attempts when the store stays away', async () => {
    const nowhere = new EventStore({ connectionString: `esdb://127.0.0.1:${await closedPort()}?tls=false` });
    const attempts: number[] = [];
    try {
      const subscription = nowhere.subscribeToAll({
        from: 'start',
        handle: () => undefined,
        reconnect: { initialDelayMs: 10, maxDelayMs: 40, maxAttempts: 3 },
        readOffThread,
        onReconnecting: ({ attempt }) => void attempts.push(attempt),
      });

      await expect(subscription.closed).rejects.toMatchObject({ code: 'EVENT_STORE_UNAVAILABLE' });
      expect(subscription.state).toBe('failed');
      expect(attempts).toEqual([1, 2, 3]);
    } finally {
      await nowhere.close();
    }
  });
});
