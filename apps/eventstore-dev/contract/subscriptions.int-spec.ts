import {
  END,
  eventTypeFilter,
  excludeSystemEvents,
  START,
  streamNameFilter,
  StreamDeletedError,
  type Position,
} from '@eventstore/db-client';
import {
  checkpointRecorder,
  connectToEventStore,
  eventsOf,
  eventually,
  kindsOf,
  recordTimeline,
  someEvents,
  TOMBSTONE_REVISION,
  uniqueStream,
  type TimelineEntry,
} from './test-support/contract-support';

const { client } = connectToEventStore();

const subscriptions: { unsubscribe(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(subscriptions.splice(0).map((subscription) => subscription.unsubscribe()));
});

function track<S extends { unsubscribe(): Promise<void> }>(subscription: S): S {
  subscriptions.push(subscription);
  return subscription;
}

/** The position of a fresh marker event: a start point that skips everything older. */
async function markPosition(): Promise<Position> {
  const { position } = await client().appendToStream(uniqueStream('marker'), someEvents(1, 'Marker'));
  return position!;
}

describe('subscribing to a stream', () => {
  it('confirms, replays history, reports caught up, then delivers live events', async () => {
    const stream = uniqueStream('sub');
    await client().appendToStream(stream, someEvents(2));
    const timeline = recordTimeline(track(client().subscribeToStream(stream, { fromRevision: START })));
    await eventually(() => timeline.some((entry) => entry.kind === 'caughtUp'), 'caught up');
    await client().appendToStream(stream, someEvents(1));
    await eventually(() => eventsOf(timeline).length === 3, 'the live event arrived');
    expect(kindsOf(timeline)).toEqual(['confirmation', 'event:0', 'event:1', 'caughtUp', 'event:2']);
  });

  it('starts after the given revision', async () => {
    const stream = uniqueStream('sub');
    await client().appendToStream(stream, someEvents(4));
    const timeline = recordTimeline(track(client().subscribeToStream(stream, { fromRevision: 1n })));
    await eventually(() => timeline.some((entry) => entry.kind === 'caughtUp'), 'caught up');
    expect(eventsOf(timeline).map((resolved) => resolved.event!.revision)).toEqual([2n, 3n]);
  });

  it('from the end delivers only new events', async () => {
    const stream = uniqueStream('sub');
    await client().appendToStream(stream, someEvents(3));
    const timeline = recordTimeline(track(client().subscribeToStream(stream, { fromRevision: END })));
    await eventually(() => timeline.some((entry) => entry.kind === 'caughtUp'), 'caught up');
    await client().appendToStream(stream, someEvents(1));
    await eventually(() => eventsOf(timeline).length === 1, 'the live event arrived');
    expect(eventsOf(timeline)[0].event!.revision).toBe(3n);
  });

  it('waits for a stream that does not exist yet', async () => {
    const stream = uniqueStream('sub');
    const timeline = recordTimeline(track(client().subscribeToStream(stream)));
    await eventually(() => timeline.some((entry) => entry.kind === 'caughtUp'), 'caught up');
    await client().appendToStream(stream, someEvents(2));
    await eventually(() => eventsOf(timeline).length === 2, 'the new events arrived');
    expect(kindsOf(timeline)).toEqual(['confirmation', 'caughtUp', 'event:0', 'event:1']);
  });

  it('hands over from catch-up to live without a gap or a duplicate', async () => {
    const stream = uniqueStream('handover');
    await client().appendToStream(stream, someEvents(300));
    const appending = (async () => {
      for (let batch = 0; batch < 20; batch += 1) await client().appendToStream(stream, someEvents(10));
    })();
    const timeline = recordTimeline(track(client().subscribeToStream(stream)));
    await appending;
    await eventually(() => eventsOf(timeline).length >= 500, 'all 500 events arrived');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const revisions = eventsOf(timeline).map((resolved) => Number(resolved.event!.revision));
    expect(revisions).toEqual(Array.from({ length: 500 }, (_, index) => index));
    expect(kindsOf(timeline).filter((kind) => kind === 'caughtUp')).toHaveLength(1);
  });

  it('catches up only on what the stream metadata leaves visible', async () => {
    const stream = uniqueStream('sub');
    await client().appendToStream(stream, someEvents(5));
    await client().setStreamMetadata(stream, { maxCount: 2 });
    const timeline = recordTimeline(track(client().subscribeToStream(stream)));
    await eventually(() => timeline.some((entry) => entry.kind === 'caughtUp'), 'caught up');
    expect(kindsOf(timeline)).toEqual(['confirmation', 'event:3', 'event:4', 'caughtUp']);
  });

  it('keeps going through a soft delete', async () => {
    const stream = uniqueStream('sub');
    await client().appendToStream(stream, someEvents(2));
    const timeline = recordTimeline(track(client().subscribeToStream(stream)));
    await eventually(() => timeline.some((entry) => entry.kind === 'caughtUp'), 'caught up');
    await client().deleteStream(stream);
    await client().appendToStream(stream, someEvents(1, 'AfterDelete'));
    await eventually(() => eventsOf(timeline).length === 3, 'the event after the delete arrived');
    expect(eventsOf(timeline)[2].event).toMatchObject({ revision: 2n, type: 'AfterDelete' });
    expect(timeline.some((entry) => entry.kind === 'error')).toBe(false);
  });

  it('fails with StreamDeletedError on a tombstoned stream', async () => {
    const stream = uniqueStream('sub');
    await client().appendToStream(stream, someEvents(1));
    await client().tombstoneStream(stream);
    const timeline = recordTimeline(track(client().subscribeToStream(stream)));
    await eventually(() => timeline.some((entry) => entry.kind === 'error'), 'the subscription failed');
    const failure = timeline.find((entry) => entry.kind === 'error');
    expect(failure).toMatchObject({ error: expect.any(StreamDeletedError) });
  });

  it('ends with StreamDeletedError after the $streamDeleted event when tombstoned while live', async () => {
    const stream = uniqueStream('sub');
    await client().appendToStream(stream, someEvents(1));
    const timeline = recordTimeline(track(client().subscribeToStream(stream)));
    await eventually(() => timeline.some((entry) => entry.kind === 'caughtUp'), 'caught up');
    await client().tombstoneStream(stream);
    await eventually(() => timeline.some((entry) => entry.kind === 'error'), 'the subscription failed');
    const [last, beforeLast] = [...timeline].reverse();
    expect(last).toMatchObject({ kind: 'error', error: expect.any(StreamDeletedError) });
    expect(beforeLast).toMatchObject({
      kind: 'event',
      event: { event: { type: '$streamDeleted', revision: TOMBSTONE_REVISION } },
    });
  });

  it('ends quietly when unsubscribed', async () => {
    const stream = uniqueStream('sub');
    await client().appendToStream(stream, someEvents(3));
    const subscription = client().subscribeToStream(stream);
    const timeline = recordTimeline(subscription);
    await eventually(() => timeline.some((entry) => entry.kind === 'caughtUp'), 'caught up');
    await subscription.unsubscribe();
    await client().appendToStream(stream, someEvents(1));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(kindsOf(timeline)).toEqual(['confirmation', 'event:0', 'event:1', 'event:2', 'caughtUp']);
  });
});

describe('subscribing to $all', () => {
  it('starts after the given position', async () => {
    const stream = uniqueStream('all-sub');
    await client().appendToStream(stream, someEvents(1));
    const { position } = await client().appendToStream(stream, someEvents(1));
    await client().appendToStream(stream, someEvents(2));
    const timeline = recordTimeline(
      track(client().subscribeToAll({ fromPosition: position!, filter: streamNameFilter({ prefixes: [stream] }) })),
    );
    await eventually(() => timeline.some((entry) => entry.kind === 'caughtUp'), 'caught up');
    expect(eventsOf(timeline).map((resolved) => resolved.event!.revision)).toEqual([2n, 3n]);
  });

  it('from the end delivers only new events', async () => {
    const stream = uniqueStream('all-sub');
    await client().appendToStream(stream, someEvents(2));
    const timeline = recordTimeline(track(client().subscribeToAll({ fromPosition: END })));
    await eventually(() => timeline.some((entry) => entry.kind === 'caughtUp'), 'caught up');
    await client().appendToStream(stream, someEvents(1));
    await eventually(
      () => eventsOf(timeline).some((resolved) => resolved.event?.streamId === stream),
      'the live event arrived',
    );
    const ours = eventsOf(timeline).filter((resolved) => resolved.event?.streamId === stream);
    expect(ours.map((resolved) => resolved.event!.revision)).toEqual([2n]);
  });

  it('hands over to live without a gap or a duplicate, in position order', async () => {
    const prefix = uniqueStream('all-handover');
    const from = await markPosition();
    const appendMany = async (rounds: number) => {
      for (let round = 0; round < rounds; round += 1) {
        await Promise.all([0, 1, 2].map((lane) => client().appendToStream(`${prefix}-${lane}`, someEvents(5))));
      }
    };
    await appendMany(10);
    const appending = appendMany(10);
    const timeline = recordTimeline(
      track(client().subscribeToAll({ fromPosition: from, filter: streamNameFilter({ prefixes: [prefix] }) })),
    );
    await appending;
    await eventually(() => eventsOf(timeline).length >= 300, 'all 300 events arrived');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const events = eventsOf(timeline).map((resolved) => resolved.event!);
    expect(events).toHaveLength(300);
    events.slice(1).forEach((event, index) => expect(event.position!.commit).toBeGreaterThan(events[index].position!.commit));
    for (const lane of [0, 1, 2]) {
      const revisions = events.filter((event) => event.streamId === `${prefix}-${lane}`).map((event) => event.revision);
      expect(revisions).toEqual(Array.from({ length: 100 }, (_, index) => BigInt(index)));
    }
  });

  it('serves several subscribers the same events', async () => {
    const stream = uniqueStream('all-many');
    const from = await markPosition();
    const filter = () => streamNameFilter({ prefixes: [stream] });
    const timelines = [0, 1, 2].map(() =>
      recordTimeline(track(client().subscribeToAll({ fromPosition: from, filter: filter() }))),
    );
    await client().appendToStream(stream, someEvents(3));
    for (const timeline of timelines) {
      await eventually(() => eventsOf(timeline).length === 3, 'every subscriber got the events');
    }
    const ids = timelines.map((timeline) => eventsOf(timeline).map((resolved) => resolved.event!.id));
    expect(ids[1]).toEqual(ids[0]);
    expect(ids[2]).toEqual(ids[0]);
  });

  it('never reports falling behind', async () => {
    const stream = uniqueStream('all-behind');
    await client().appendToStream(stream, someEvents(50));
    const timeline = recordTimeline(track(client().subscribeToAll({ fromPosition: START })));
    await eventually(() => timeline.some((entry) => entry.kind === 'caughtUp'), 'caught up');
    expect(timeline.some((entry) => entry.kind === 'fellBehind')).toBe(false);
  });
});

describe('filtered $all subscriptions', () => {
  it('filters on a stream name prefix', async () => {
    const stream = uniqueStream('filter-prefix');
    const from = await markPosition();
    await client().appendToStream(stream, someEvents(2));
    await client().appendToStream(uniqueStream('filter-other'), someEvents(2));
    const timeline = recordTimeline(
      track(client().subscribeToAll({ fromPosition: from, filter: streamNameFilter({ prefixes: [stream] }) })),
    );
    await eventually(() => timeline.some((entry) => entry.kind === 'caughtUp'), 'caught up');
    expect(eventsOf(timeline).map((resolved) => resolved.event!.streamId)).toEqual([stream, stream]);
  });

  it('filters on a stream name regex', async () => {
    const tag = uniqueStream('rx').slice(3);
    const from = await markPosition();
    await client().appendToStream(`opportunity-${tag}`, someEvents(1));
    await client().appendToStream(`contact-${tag}`, someEvents(1));
    await client().appendToStream(`account-${tag}`, someEvents(1));
    const timeline = recordTimeline(
      track(
        client().subscribeToAll({
          fromPosition: from,
          filter: streamNameFilter({ regex: `^(opportunity|account)-${tag}$` }),
        }),
      ),
    );
    await eventually(() => timeline.some((entry) => entry.kind === 'caughtUp'), 'caught up');
    expect(eventsOf(timeline).map((resolved) => resolved.event!.streamId)).toEqual([
      `opportunity-${tag}`,
      `account-${tag}`,
    ]);
  });

  it('filters on an event type prefix and on an event type regex', async () => {
    const tag = uniqueStream('Type').replace(/-/g, '');
    const stream = uniqueStream('filter-type');
    const from = await markPosition();
    await client().appendToStream(stream, [
      ...someEvents(1, `${tag}Opened`),
      ...someEvents(1, `Other${tag}`),
      ...someEvents(1, `${tag}Closed`),
    ]);
    const byPrefix = recordTimeline(
      track(client().subscribeToAll({ fromPosition: from, filter: eventTypeFilter({ prefixes: [tag] }) })),
    );
    const byRegex = recordTimeline(
      track(client().subscribeToAll({ fromPosition: from, filter: eventTypeFilter({ regex: `^${tag}Clo` }) })),
    );
    await eventually(() => [byPrefix, byRegex].every((t) => t.some((entry) => entry.kind === 'caughtUp')), 'caught up');
    expect(eventsOf(byPrefix).map((resolved) => resolved.event!.type)).toEqual([`${tag}Opened`, `${tag}Closed`]);
    expect(eventsOf(byRegex).map((resolved) => resolved.event!.type)).toEqual([`${tag}Closed`]);
  });

  it('excludes system events', async () => {
    const stream = uniqueStream('filter-system');
    const from = await markPosition();
    await client().appendToStream(stream, someEvents(2));
    await client().setStreamMetadata(stream, { maxCount: 10 });
    await client().tombstoneStream(uniqueStream('filter-system-tombstone'));
    const timeline = recordTimeline(track(client().subscribeToAll({ fromPosition: from, filter: excludeSystemEvents() })));
    await eventually(() => timeline.some((entry) => entry.kind === 'caughtUp'), 'caught up');
    const types = eventsOf(timeline).map((resolved) => resolved.event!.type);
    expect(types.filter((type) => type.startsWith('$'))).toEqual([]);
    expect(eventsOf(timeline).filter((resolved) => resolved.event!.streamId === stream)).toHaveLength(2);
  });

  describe('checkpoints', () => {
    it('come every maxSearchWindow × checkpointInterval considered events, and once before caught up', async () => {
      const stream = uniqueStream('checkpoint');
      const from = await markPosition();
      await client().appendToStream(uniqueStream('checkpoint-noise'), someEvents(40));
      await client().appendToStream(stream, someEvents(1));
      const timeline: TimelineEntry[] = [];
      const filter = streamNameFilter({
        prefixes: [stream],
        maxSearchWindow: 5,
        checkpointInterval: 2,
        checkpointReached: checkpointRecorder(timeline),
      });
      recordTimeline(track(client().subscribeToAll({ fromPosition: from, filter })), timeline);
      await eventually(() => timeline.some((entry) => entry.kind === 'caughtUp'), 'caught up');

      const checkpoints = timeline.flatMap((entry) => (entry.kind === 'checkpoint' ? [entry.position.commit] : []));
      // 41 considered events, a checkpoint every 10, plus the one at the end of catch-up.
      expect(checkpoints.length).toBeGreaterThanOrEqual(5);
      checkpoints.slice(1).forEach((commit, index) => expect(commit).toBeGreaterThan(checkpoints[index]));
      const caughtUpAt = timeline.findIndex((entry) => entry.kind === 'caughtUp');
      const beforeCaughtUp = timeline[caughtUpAt - 1];
      expect(beforeCaughtUp.kind).toBe('checkpoint');
      const [ours] = eventsOf(timeline);
      expect((beforeCaughtUp as { position: Position }).position.commit).toBeGreaterThanOrEqual(ours.event!.position!.commit);
    });

    it('keep coming live while only non-matching events are appended', async () => {
      const stream = uniqueStream('checkpoint-live');
      const timeline: TimelineEntry[] = [];
      const filter = streamNameFilter({
        prefixes: [stream],
        maxSearchWindow: 4,
        checkpointInterval: 1,
        checkpointReached: checkpointRecorder(timeline),
      });
      recordTimeline(track(client().subscribeToAll({ fromPosition: END, filter })), timeline);
      await eventually(() => timeline.some((entry) => entry.kind === 'caughtUp'), 'caught up');
      const before = await markPosition();
      await client().appendToStream(uniqueStream('checkpoint-live-noise'), someEvents(8));
      await eventually(
        () => timeline.some((entry) => entry.kind === 'checkpoint' && entry.position.commit > before.commit),
        'a live checkpoint arrived',
      );
      const checkpoints = timeline.flatMap((entry) => (entry.kind === 'checkpoint' ? [entry.position.commit] : []));
      checkpoints.slice(1).forEach((commit, index) => expect(commit).toBeGreaterThan(checkpoints[index]));
      expect(eventsOf(timeline)).toEqual([]);
    });
  });
});
