import {
  BACKWARDS,
  binaryEvent,
  END,
  FORWARDS,
  START,
  StreamDeletedError,
  StreamNotFoundError,
} from '@eventstore/db-client';
import {
  connectToEventStore,
  readAllEvents,
  readResolvedEvents,
  readStreamEvents,
  someEvents,
  uniqueStream,
} from './test-support/contract-support';

const { client } = connectToEventStore();

describe('reading a stream', () => {
  let stream: string;
  beforeAll(async () => {
    stream = uniqueStream('read');
    await client().appendToStream(stream, someEvents(5));
  });

  const revisionsOf = async (options: Parameters<typeof readStreamEvents>[2]) =>
    (await readStreamEvents(client(), stream, options)).map((event) => event.revision);

  it('reads forwards from the start', async () => {
    expect(await revisionsOf({ fromRevision: START, direction: FORWARDS })).toEqual([0n, 1n, 2n, 3n, 4n]);
  });

  it('reads backwards from the end, starting at the last event', async () => {
    expect(await revisionsOf({ fromRevision: END, direction: BACKWARDS })).toEqual([4n, 3n, 2n, 1n, 0n]);
  });

  it('includes the starting revision in both directions', async () => {
    expect(await revisionsOf({ fromRevision: 2n, direction: FORWARDS })).toEqual([2n, 3n, 4n]);
    expect(await revisionsOf({ fromRevision: 2n, direction: BACKWARDS })).toEqual([2n, 1n, 0n]);
  });

  it('stops after maxCount events', async () => {
    expect(await revisionsOf({ fromRevision: 1n, maxCount: 2 })).toEqual([1n, 2n]);
    expect(await revisionsOf({ fromRevision: END, direction: BACKWARDS, maxCount: 1 })).toEqual([4n]);
  });

  it('returns everything for a huge maxCount', async () => {
    expect(await revisionsOf({ maxCount: Number.MAX_SAFE_INTEGER })).toHaveLength(5);
  });

  it('returns nothing, rather than not found, past the end', async () => {
    expect(await revisionsOf({ fromRevision: 10n })).toEqual([]);
    expect(await revisionsOf({ fromRevision: END, direction: FORWARDS })).toEqual([]);
  });

  it('fills the commit position of every event', async () => {
    for await (const resolved of client().readStream(stream)) {
      expect(resolved.commitPosition).toBe(resolved.event!.position!.commit);
    }
  });
});

describe('reading a stream that is not there', () => {
  it('fails with StreamNotFoundError for a stream that never existed', async () => {
    const stream = uniqueStream('missing');
    await expect(readStreamEvents(client(), stream)).rejects.toThrow(StreamNotFoundError);
    await expect(readStreamEvents(client(), stream)).rejects.toMatchObject({ streamName: stream });
  });

  it('fails with StreamNotFoundError for a stream that only has metadata', async () => {
    const stream = uniqueStream('metadata-only');
    await client().setStreamMetadata(stream, { maxCount: 10 });
    await expect(readStreamEvents(client(), stream)).rejects.toThrow(StreamNotFoundError);
  });

  it('fails with StreamNotFoundError for a soft-deleted stream', async () => {
    const stream = uniqueStream('soft-deleted');
    await client().appendToStream(stream, someEvents(2));
    await client().deleteStream(stream);
    await expect(readStreamEvents(client(), stream)).rejects.toThrow(StreamNotFoundError);
  });

  it('fails with StreamDeletedError for a tombstoned stream', async () => {
    const stream = uniqueStream('tombstoned');
    await client().appendToStream(stream, someEvents(2));
    await client().tombstoneStream(stream);
    await expect(readStreamEvents(client(), stream)).rejects.toThrow(StreamDeletedError);
    await expect(readStreamEvents(client(), stream)).rejects.toMatchObject({ streamName: stream });
  });
});

describe('reading $all', () => {
  let stream: string;
  let positions: bigint[];
  beforeAll(async () => {
    stream = uniqueStream('all');
    await client().appendToStream(stream, someEvents(2));
    await client().appendToStream(uniqueStream('all-other'), someEvents(1));
    await client().appendToStream(stream, someEvents(2));
    positions = (await readStreamEvents(client(), stream)).map((event) => event.position!.commit);
  });

  it('orders events by strictly increasing positions above 0', async () => {
    expect(positions[0]).toBeGreaterThan(0n);
    const read = await readAllEvents(client(), { fromPosition: { commit: positions[0], prepare: positions[0] } });
    const commits = read.map((resolved) => resolved.event!.position.commit);
    commits.slice(1).forEach((commit, index) => expect(commit).toBeGreaterThan(commits[index]));
    const ours = read.filter((resolved) => resolved.event?.streamId === stream);
    expect(ours.map((resolved) => resolved.event!.revision)).toEqual([0n, 1n, 2n, 3n]);
  });

  it('includes the event at the starting position when reading forwards', async () => {
    const from = { commit: positions[1], prepare: positions[1] };
    const [first] = await readAllEvents(client(), { fromPosition: from, direction: FORWARDS, maxCount: 1 });
    expect(first.event).toMatchObject({ streamId: stream, revision: 1n });
  });

  it('excludes the event at the starting position when reading backwards', async () => {
    const from = { commit: positions[1], prepare: positions[1] };
    const [first] = await readAllEvents(client(), { fromPosition: from, direction: BACKWARDS, maxCount: 1 });
    expect(first.event).toMatchObject({ streamId: stream, revision: 0n });
  });

  it('resumes from a position taken from an event', async () => {
    const from = { commit: positions[2], prepare: positions[2] };
    const read = await readAllEvents(client(), { fromPosition: from, maxCount: 2 });
    expect(read.map((resolved) => resolved.event?.revision)).toEqual([2n, 3n]);
  });

  it('reads backwards from the end, starting at the newest event', async () => {
    const latest = uniqueStream('all-latest');
    const appended = await client().appendToStream(latest, someEvents(1));
    const [first] = await readAllEvents(client(), { fromPosition: END, direction: BACKWARDS, maxCount: 1 });
    expect(first.event!.position.commit).toBeGreaterThanOrEqual(appended.position!.commit);
  });

  it('reads forwards from the start with the oldest event first', async () => {
    const [first] = await readAllEvents(client(), { fromPosition: START, maxCount: 1 });
    expect(first.event!.position.commit).toBeGreaterThan(0n);
    expect(first.event!.position.commit).toBeLessThanOrEqual(positions[0]);
  });

  it('returns nothing forwards from the end', async () => {
    expect(await readAllEvents(client(), { fromPosition: END, direction: FORWARDS })).toEqual([]);
  });

  it('fills the commit position of every event', async () => {
    const read = await readAllEvents(client(), { fromPosition: { commit: positions[0], prepare: positions[0] }, maxCount: 3 });
    read.forEach((resolved) => expect(resolved.commitPosition).toBe(resolved.event!.position.commit));
  });
});

describe('reading links', () => {
  const link = (revision: number, stream: string) =>
    binaryEvent({ type: '$>', data: Uint8Array.from(Buffer.from(`${revision}@${stream}`, 'utf8')) });

  it('resolves a $> link to the event it points at when asked to', async () => {
    const target = uniqueStream('link-target');
    const links = uniqueStream('links');
    await client().appendToStream(target, someEvents(2));
    await client().appendToStream(links, link(1, target));

    const [resolved] = await readResolvedEvents(client(), links, { resolveLinkTos: true });
    expect(resolved.event).toMatchObject({ streamId: target, revision: 1n, type: 'ThingHappened' });
    expect(resolved.link).toMatchObject({ streamId: links, revision: 0n, type: '$>' });
    expect(resolved.commitPosition).toBe(resolved.link!.position!.commit);
  });

  it('returns the link itself when not resolving', async () => {
    const target = uniqueStream('link-target');
    const links = uniqueStream('links');
    await client().appendToStream(target, someEvents(1));
    await client().appendToStream(links, link(0, target));
    const [unresolved] = await readResolvedEvents(client(), links);
    expect(unresolved.event).toMatchObject({ streamId: links, type: '$>' });
    expect(unresolved.link).toBeUndefined();
  });

  it('keeps a link to a deleted event, without the event', async () => {
    const target = uniqueStream('link-target');
    const links = uniqueStream('links');
    await client().appendToStream(target, someEvents(1));
    await client().appendToStream(links, link(0, target));
    await client().deleteStream(target);
    const [resolved] = await readResolvedEvents(client(), links, { resolveLinkTos: true });
    expect(resolved.event).toBeUndefined();
    expect(resolved.link).toMatchObject({ streamId: links, type: '$>' });
  });
});

describe('stream names', () => {
  it('round-trip with non-ASCII characters', async () => {
    const stream = uniqueStream('kontakt-Müller-東京');
    await client().appendToStream(stream, someEvents(1));
    const [event] = await readStreamEvents(client(), stream);
    expect(event.streamId).toBe(stream);
  });

  it('can be system streams starting with $', async () => {
    const stream = `$${uniqueStream('system')}`;
    await client().appendToStream(stream, someEvents(1));
    const [event] = await readStreamEvents(client(), stream);
    expect(event.streamId).toBe(stream);
  });
});
