import type { RecordedEnvelope } from './envelope';
import { covers, SharedCatchUp, unionFilter, type SubscriptionSource } from './shared-catch-up';
import type { AllSubscription, SubscribeToAllOptions } from './subscription';
import { someMetadata, sleep } from './test-support/fixtures';

/** A subscription of the store that never delivers by itself: the test hands events to `handle`. */
const idleSubscription = () => ({ closed: new Promise<void>(() => undefined), stop: async () => undefined }) as unknown as AllSubscription;

/** A read of the store that finds nothing. */
const readsNothing = (): AsyncIterable<RecordedEnvelope> => ({ [Symbol.asyncIterator]: () => ({ next: async () => ({ done: true as const, value: undefined }) }) });

function dealEvent(commit: bigint): RecordedEnvelope {
  return {
    eventId: `00000000-0000-4000-8000-${String(commit).padStart(12, '0')}`,
    type: 'Noted',
    data: {},
    metadata: { ...someMetadata(), occurredAt: '2024-05-02T10:00:00.000Z', schemaVersion: 1 },
    streamName: 'deal-1',
    revision: commit,
    position: { commit, prepare: commit },
    recordedAt: new Date('2024-05-02T10:00:00.000Z'),
  };
}

/** A store whose subscriptions never deliver by themselves, and the options of each one opened. */
function recordingStore(): { opened: SubscribeToAllOptions[]; store: SubscriptionSource } {
  const opened: SubscribeToAllOptions[] = [];
  const store: SubscriptionSource = {
    subscribeToAll: (options) => {
      opened.push(options);
      return idleSubscription();
    },
    readAll: readsNothing,
  };
  return { opened, store };
}

describe('SharedCatchUp', () => {
  it('asks the store for checkpoints at about the pace its members get one for events they drop', async () => {
    const { opened, store } = recordingStore();
    const shared = new SharedCatchUp(store, { gatherMs: 1, checkpointEvery: 1_000 });
    const member = shared.subscribeToAll({ from: 'start', filter: { streamNamePrefixes: ['deal-'] }, handle: () => undefined });
    await sleep(20);

    // 32 × the store's search window of 32 events: a checkpoint every 1,024 events, not every 32.
    expect(opened.map((options) => options.checkpointInterval)).toEqual([32]);
    await member.stop();
  });

  it('opens a read as soon as the consumers it was told of are there, and waits out gatherMs for fewer', async () => {
    const { opened, store } = recordingStore();
    const shared = new SharedCatchUp(store, { gatherMs: 60_000, consumers: 2 });
    const filter = { streamNamePrefixes: ['deal-'] };
    const first = shared.subscribeToAll({ from: 'start', filter, handle: () => undefined });
    await sleep(20);
    expect(opened).toEqual([]);
    const second = shared.subscribeToAll({ from: 'start', filter, handle: () => undefined });
    expect(opened.map((options) => options.from)).toEqual(['start']);
    expect(shared.openReads).toBe(1);
    await Promise.all([first.stop(), second.stop()]);
  });

  it('refuses settings that are not whole numbers in range, naming the setting and the rule', () => {
    const store: SubscriptionSource = { subscribeToAll: () => idleSubscription(), readAll: readsNothing };
    expect(() => new SharedCatchUp(store, { joinWithinEvents: 0 })).toThrow('joinWithinEvents must be an integer of at least 1, not 0');
    expect(() => new SharedCatchUp(store, { checkpointEvery: 2.5 })).toThrow('checkpointEvery must be an integer of at least 1, not 2.5');
    expect(() => new SharedCatchUp(store, { gatherMs: -1 })).toThrow('gatherMs must be an integer of at least 0, not -1');
    expect(() => new SharedCatchUp(store, { consumers: 1.5 })).toThrow('consumers must be an integer of at least 0, not 1.5');
    expect(() => new SharedCatchUp(store, { joinWithinEvents: undefined })).not.toThrow();
  });

  it('gives a late member whose earlier events cannot be read again a subscription of its own from its position', async () => {
    const opened: SubscribeToAllOptions[] = [];
    let readsAgain = 0;
    const store: SubscriptionSource = {
      subscribeToAll: (options) => {
        opened.push(options);
        return idleSubscription();
      },
      readAll: () => {
        readsAgain++;
        return { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('The event store is unavailable')) }) };
      },
    };
    const shared = new SharedCatchUp(store, { gatherMs: 1, checkpointEvery: 1_000 });
    const filter = { streamNamePrefixes: ['deal-'] };
    const early: RecordedEnvelope[] = [];
    const late: RecordedEnvelope[] = [];
    const members = [shared.subscribeToAll({ from: 'start', filter, handle: (event) => void early.push(event) })];
    await sleep(20);
    const read = opened[0];
    await read.handle(dealEvent(10n));
    members.push(shared.subscribeToAll({ from: 'start', filter, handle: (event) => void late.push(event) }));
    await read.handle(dealEvent(20n));

    // The read went on for the early member; the late one subscribed from where it stood.
    expect(early.map((event) => event.position.commit)).toEqual([10n, 20n]);
    expect(late).toEqual([]);
    expect(readsAgain).toBe(1);
    expect(opened.map((options) => options.from)).toEqual(['start', 'start']);
    expect(opened[1].filter).toEqual(filter);
    await Promise.all(members.map((member) => member.stop()));
  });
});

describe('unionFilter', () => {
  it('joins the stream-name prefixes of filters that have only those, once each', () => {
    expect(unionFilter([{ streamNamePrefixes: ['deal-', 'lead-'] }, { streamNamePrefixes: ['lead-', 'pipeline-'] }])).toEqual({
      streamNamePrefixes: ['deal-', 'lead-', 'pipeline-'],
    });
  });

  it('passes every event when any filter has another condition, or none at all', () => {
    expect(unionFilter([{ streamNamePrefixes: ['deal-'] }, { eventTypePrefixes: ['Deal'] }])).toBeUndefined();
    expect(unionFilter([{ streamNamePrefixes: ['deal-'] }, { streamNamePrefixes: ['lead-'], streamNameRegex: '-1$' }])).toBeUndefined();
    expect(unionFilter([{ streamNamePrefixes: ['deal-'] }, undefined])).toBeUndefined();
    expect(unionFilter([{ streamNamePrefixes: [] }])).toBeUndefined();
  });
});

describe('covers', () => {
  it('holds when each prefix of the filter starts with one of the outer prefixes', () => {
    expect(covers({ streamNamePrefixes: ['deal-', 'lead'] }, { streamNamePrefixes: ['lead-eu-', 'deal-'] })).toBe(true);
    expect(covers({ streamNamePrefixes: ['deal-'] }, { streamNamePrefixes: ['deal-', 'lead-'] })).toBe(false);
  });

  it('holds for anything under no outer filter; under one, only for filters narrowed by stream-name prefixes', () => {
    expect(covers(undefined, { eventTypePrefixes: ['Deal'] })).toBe(true);
    expect(covers(undefined, undefined)).toBe(true);
    expect(covers({ streamNamePrefixes: ['deal-'] }, { streamNamePrefixes: ['deal-'], eventTypePrefixes: ['DealWon'] })).toBe(true);
    expect(covers({ streamNamePrefixes: ['deal-'] }, { eventTypePrefixes: ['DealWon'] })).toBe(false);
    expect(covers({ streamNamePrefixes: ['deal-'] }, undefined)).toBe(false);
  });
});
