import {
  ANY,
  NO_STREAM,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import {
  connectToEventStore,
  readAllEvents,
  readStreamEvents,
  someEvents,
  TOMBSTONE_REVISION,
  uniqueStream,
} from './test-support/contract-support';

const { client } = connectToEventStore();

describe('soft-deleting a stream', () => {
  it('fails with WrongExpectedVersionError for a stream that never existed, even expecting any', async () => {
    const stream = uniqueStream('delete');
    await expect(client().deleteStream(stream, { expectedRevision: ANY })).rejects.toThrow(WrongExpectedVersionError);
  });

  it('deletes at the exact revision and returns the position of its metadata', async () => {
    const stream = uniqueStream('delete');
    const appended = await client().appendToStream(stream, someEvents(2));
    const deleted = await client().deleteStream(stream, { expectedRevision: 1n });
    expect(deleted.position!.commit).toBeGreaterThan(appended.position!.commit);
    await expect(readStreamEvents(client(), stream)).rejects.toThrow(StreamNotFoundError);
  });

  it('fails with WrongExpectedVersionError expecting no stream on an existing one', async () => {
    const stream = uniqueStream('delete');
    await client().appendToStream(stream, someEvents(1));
    const deletion = client().deleteStream(stream, { expectedRevision: NO_STREAM });
    await expect(deletion).rejects.toThrow(WrongExpectedVersionError);
    await expect(deletion).rejects.toMatchObject({ streamName: stream, actualVersion: 0n });
  });

  it('fails with WrongExpectedVersionError for a wrong exact revision', async () => {
    const stream = uniqueStream('delete');
    await client().appendToStream(stream, someEvents(3));
    await expect(client().deleteStream(stream, { expectedRevision: 1n })).rejects.toThrow(WrongExpectedVersionError);
    expect(await readStreamEvents(client(), stream)).toHaveLength(3);
  });

  it('fails with StreamDeletedError on a tombstoned stream', async () => {
    const stream = uniqueStream('delete');
    await client().appendToStream(stream, someEvents(1));
    await client().tombstoneStream(stream);
    await expect(client().deleteStream(stream)).rejects.toThrow(StreamDeletedError);
  });

  it('lets the stream be recreated, numbering on from the old last revision', async () => {
    const stream = uniqueStream('recreate');
    await client().appendToStream(stream, someEvents(2));
    await client().deleteStream(stream);
    const result = await client().appendToStream(stream, someEvents(1, 'Recreated'));
    expect(result.nextExpectedRevision).toBe(2n);
    const events = await readStreamEvents(client(), stream);
    expect(events.map((event) => [event.revision, event.type])).toEqual([[2n, 'Recreated']]);
  });

  it('keeps the deleted events in $all', async () => {
    const stream = uniqueStream('delete');
    await client().appendToStream(stream, someEvents(2));
    const [first] = await readStreamEvents(client(), stream);
    await client().deleteStream(stream);
    const read = await readAllEvents(client(), { fromPosition: first.position!, maxCount: 3 });
    expect(read.map((resolved) => [resolved.event!.streamId, resolved.event!.revision])).toEqual([
      [stream, 0n],
      [stream, 1n],
      [`$$${stream}`, 0n],
    ]);
  });
});

describe('tombstoning a stream', () => {
  it('succeeds for a stream that never existed and burns its name', async () => {
    const stream = uniqueStream('tombstone');
    const result = await client().tombstoneStream(stream, { expectedRevision: ANY });
    expect(result.position!.commit).toBeGreaterThan(0n);
    await expect(client().appendToStream(stream, someEvents(1))).rejects.toThrow(StreamDeletedError);
  });

  it('fails with StreamDeletedError the second time', async () => {
    const stream = uniqueStream('tombstone');
    await client().appendToStream(stream, someEvents(1));
    await client().tombstoneStream(stream);
    await expect(client().tombstoneStream(stream)).rejects.toThrow(StreamDeletedError);
  });

  it('makes appends, reads and deletes fail with StreamDeletedError', async () => {
    const stream = uniqueStream('tombstone');
    await client().appendToStream(stream, someEvents(2));
    await client().tombstoneStream(stream, { expectedRevision: 1n });
    await expect(client().appendToStream(stream, someEvents(1))).rejects.toThrow(StreamDeletedError);
    await expect(readStreamEvents(client(), stream)).rejects.toThrow(StreamDeletedError);
    await expect(client().deleteStream(stream)).rejects.toThrow(StreamDeletedError);
  });

  it('checks the expected revision', async () => {
    const stream = uniqueStream('tombstone');
    await client().appendToStream(stream, someEvents(2));
    const tombstone = client().tombstoneStream(stream, { expectedRevision: 0n });
    await expect(tombstone).rejects.toThrow(WrongExpectedVersionError);
    await expect(tombstone).rejects.toMatchObject({ streamName: stream, expectedVersion: 0n, actualVersion: 1n });
  });

  it('writes a $streamDeleted event to $all with the maximum revision', async () => {
    const stream = uniqueStream('tombstone');
    await client().appendToStream(stream, someEvents(1));
    const { position } = await client().tombstoneStream(stream);
    const [tombstone] = await readAllEvents(client(), { fromPosition: position!, maxCount: 1 });
    expect(tombstone.event).toMatchObject({ streamId: stream, type: '$streamDeleted', revision: TOMBSTONE_REVISION });
  });
});
