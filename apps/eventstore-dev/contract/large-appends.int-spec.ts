import { binaryEvent, NO_STREAM } from '@eventstore/db-client';
import { APPEND_PATHS, connectToEventStore, readStreamEvents, uniqueStream } from './test-support/contract-support';

// Needs a server whose maximum append size is above 5 MiB; for a real server
// set EVENTSTORE_MAX_APPEND_SIZE accordingly (the dev server here gets 16 MiB).
const { client } = connectToEventStore({ maxAppendSize: 16 * 1024 * 1024 });

describe.each(APPEND_PATHS)('a large append through %s', (_path, callOptions) => {
  it('lands atomically at consecutive revisions although BatchAppend sends it in 3 MiB chunks', async () => {
    const stream = uniqueStream('large');
    const events = Array.from({ length: 5 }, (_, index) =>
      binaryEvent({ type: 'Chunk', data: new Uint8Array(1024 * 1024).fill(index + 1) }),
    );
    const result = await client().appendToStream(stream, events, { expectedRevision: NO_STREAM, ...callOptions });
    expect(result.nextExpectedRevision).toBe(4n);

    const stored = await readStreamEvents(client(), stream);
    expect(stored.map((event) => event.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
    expect(stored.map((event) => event.id)).toEqual(events.map((event) => event.id));
    stored.forEach((event, index) => {
      const data = event.data as Uint8Array;
      expect(data.length).toBe(1024 * 1024);
      expect(data.every((byte) => byte === index + 1)).toBe(true);
    });
  });
});
