import { NO_STREAM, WrongExpectedVersionError } from '@eventstore/db-client';
import { connectToEventStore, readAllEvents, readStreamEvents, someEvents, uniqueStream } from './test-support/contract-support';

const { client } = connectToEventStore();

async function streamWithFiveEvents(): Promise<string> {
  const stream = uniqueStream('metadata');
  await client().appendToStream(stream, someEvents(5));
  return stream;
}

const revisions = async (stream: string) => (await readStreamEvents(client(), stream)).map((event) => event.revision);

describe('stream metadata', () => {
  it('reads back what was set, with custom keys', async () => {
    const stream = await streamWithFiveEvents();
    await client().setStreamMetadata(stream, { maxCount: 100, owner: 'revops' });
    const { metadata } = await client().getStreamMetadata(stream);
    expect(metadata).toEqual({ maxCount: 100, owner: 'revops' });
  });

  it('has none for a stream without a metastream', async () => {
    const stream = await streamWithFiveEvents();
    const result = await client().getStreamMetadata(stream);
    expect(result.metadata).toBeUndefined();
  });

  it('keeps only the latest metadata event visible in the metastream', async () => {
    const stream = await streamWithFiveEvents();
    await client().setStreamMetadata(stream, { maxCount: 10 });
    await client().setStreamMetadata(stream, { maxCount: 20 });
    const events = await readStreamEvents(client(), `$$${stream}`);
    expect(events.map((event) => [event.revision, event.type, event.data])).toEqual([
      [1n, '$metadata', { $maxCount: 20 }],
    ]);
  });

  it('checks the expected revision of the metastream', async () => {
    const stream = await streamWithFiveEvents();
    await client().setStreamMetadata(stream, { maxCount: 10 }, { expectedRevision: NO_STREAM });
    await expect(
      client().setStreamMetadata(stream, { maxCount: 11 }, { expectedRevision: NO_STREAM }),
    ).rejects.toThrow(WrongExpectedVersionError);
    const result = await client().setStreamMetadata(stream, { maxCount: 12 }, { expectedRevision: 0n });
    expect(result.nextExpectedRevision).toBe(1n);
  });
});

describe('metadata windows on reads', () => {
  it('$maxCount keeps only the newest events', async () => {
    const stream = await streamWithFiveEvents();
    await client().setStreamMetadata(stream, { maxCount: 2 });
    expect(await revisions(stream)).toEqual([3n, 4n]);
  });

  it('$tb hides events before the given revision', async () => {
    const stream = await streamWithFiveEvents();
    await client().setStreamMetadata(stream, { truncateBefore: 3 });
    expect(await revisions(stream)).toEqual([3n, 4n]);
  });

  it('the tighter of $maxCount and $tb wins', async () => {
    const stream = await streamWithFiveEvents();
    await client().setStreamMetadata(stream, { maxCount: 4, truncateBefore: 3 });
    expect(await revisions(stream)).toEqual([3n, 4n]);
    await client().setStreamMetadata(stream, { maxCount: 1, truncateBefore: 2 });
    expect(await revisions(stream)).toEqual([4n]);
  });

  it('$tb past the end leaves an empty read, not a missing stream', async () => {
    const stream = await streamWithFiveEvents();
    await client().setStreamMetadata(stream, { truncateBefore: 50 });
    expect(await revisions(stream)).toEqual([]);
  });

  it('$maxAge hides events older than the given number of seconds', async () => {
    const stream = await streamWithFiveEvents();
    await client().setStreamMetadata(stream, { maxAge: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await client().appendToStream(stream, someEvents(1));
    expect(await revisions(stream)).toEqual([5n]);
  });

  it('does not hide anything from $all', async () => {
    const stream = await streamWithFiveEvents();
    const [first] = await readStreamEvents(client(), stream);
    await client().setStreamMetadata(stream, { maxCount: 1 });
    const read = await readAllEvents(client(), { fromPosition: first.position!, maxCount: 5 });
    expect(read.map((resolved) => [resolved.event!.streamId, resolved.event!.revision])).toEqual(
      [0n, 1n, 2n, 3n, 4n].map((revision) => [stream, revision]),
    );
  });
});
