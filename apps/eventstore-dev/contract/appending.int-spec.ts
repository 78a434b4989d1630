import { randomUUID } from 'node:crypto';
import {
  ANY,
  binaryEvent,
  EventStoreDBClient,
  jsonEvent,
  MaxAppendSizeExceededError,
  NO_STREAM,
  STREAM_EXISTS,
  StreamDeletedError,
  StreamNotFoundError,
  UnknownError,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
} from '@eventstore/db-client';
import {
  APPEND_PATHS,
  connectToEventStore,
  readAllEvents,
  readStreamEvents,
  someEvents,
  uniqueStream,
} from './test-support/contract-support';

const { client, store } = connectToEventStore();

type StreamState = 'missing' | 'existing at revision 1' | 'metadata only' | 'soft-deleted at revision 1' | 'tombstoned';

type Outcome =
  | { succeedsAt: bigint }
  | { wrongExpectedVersion: { expected: AppendExpectedRevision; actual: bigint | 'no_stream' } }
  | 'stream deleted';

/** Expected revision × stream state, as the server decides it. */
const MATRIX: [StreamState, AppendExpectedRevision, Outcome][] = [
  ['missing', ANY, { succeedsAt: 0n }],
  ['missing', NO_STREAM, { succeedsAt: 0n }],
  ['missing', STREAM_EXISTS, { wrongExpectedVersion: { expected: STREAM_EXISTS, actual: 'no_stream' } }],
  ['missing', 0n, { wrongExpectedVersion: { expected: 0n, actual: 'no_stream' } }],
  ['existing at revision 1', ANY, { succeedsAt: 2n }],
  ['existing at revision 1', NO_STREAM, { wrongExpectedVersion: { expected: NO_STREAM, actual: 1n } }],
  ['existing at revision 1', STREAM_EXISTS, { succeedsAt: 2n }],
  ['existing at revision 1', 1n, { succeedsAt: 2n }],
  ['existing at revision 1', 0n, { wrongExpectedVersion: { expected: 0n, actual: 1n } }],
  ['existing at revision 1', 5n, { wrongExpectedVersion: { expected: 5n, actual: 1n } }],
  ['metadata only', ANY, { succeedsAt: 0n }],
  ['metadata only', NO_STREAM, { succeedsAt: 0n }],
  ['metadata only', STREAM_EXISTS, { succeedsAt: 0n }],
  ['metadata only', 1n, { wrongExpectedVersion: { expected: 1n, actual: 'no_stream' } }],
  ['soft-deleted at revision 1', ANY, { succeedsAt: 2n }],
  ['soft-deleted at revision 1', NO_STREAM, { succeedsAt: 2n }],
  ['soft-deleted at revision 1', 1n, { succeedsAt: 2n }],
  ['soft-deleted at revision 1', STREAM_EXISTS, 'stream deleted'],
  ['tombstoned', ANY, 'stream deleted'],
  ['tombstoned', NO_STREAM, 'stream deleted'],
  ['tombstoned', STREAM_EXISTS, 'stream deleted'],
  ['tombstoned', 1n, 'stream deleted'],
];

async function streamIn(state: StreamState): Promise<string> {
  const stream = uniqueStream('matrix');
  switch (state) {
    case 'missing':
      break;
    case 'existing at revision 1':
      await client().appendToStream(stream, someEvents(2));
      break;
    case 'metadata only':
      await client().setStreamMetadata(stream, { custom: 'value' });
      break;
    case 'soft-deleted at revision 1':
      await client().appendToStream(stream, someEvents(2));
      await client().deleteStream(stream);
      break;
    case 'tombstoned':
      await client().appendToStream(stream, someEvents(2));
      await client().tombstoneStream(stream);
      break;
  }
  return stream;
}

describe.each(APPEND_PATHS)('appending through %s', (_path, callOptions) => {
  describe.each(MATRIX)('to a %s stream expecting %p', (state, expectedRevision, outcome) => {
    if (outcome === 'stream deleted') {
      it('fails with StreamDeletedError', async () => {
        const stream = await streamIn(state);
        const append = client().appendToStream(stream, someEvents(1), { expectedRevision, ...callOptions });
        await expect(append).rejects.toThrow(StreamDeletedError);
        await expect(append).rejects.toMatchObject({ streamName: stream });
      });
    } else if ('succeedsAt' in outcome) {
      it(`succeeds at revision ${outcome.succeedsAt}`, async () => {
        const stream = await streamIn(state);
        const result = await client().appendToStream(stream, someEvents(1), { expectedRevision, ...callOptions });
        expect(result).toMatchObject({ success: true, nextExpectedRevision: outcome.succeedsAt });
        const events = await readStreamEvents(client(), stream);
        expect(events.at(-1)?.revision).toBe(outcome.succeedsAt);
      });
    } else {
      it('fails with WrongExpectedVersionError', async () => {
        const stream = await streamIn(state);
        const append = client().appendToStream(stream, someEvents(1), { expectedRevision, ...callOptions });
        await expect(append).rejects.toThrow(WrongExpectedVersionError);
        await expect(append).rejects.toMatchObject({
          streamName: stream,
          expectedVersion: outcome.wrongExpectedVersion.expected,
          actualVersion: outcome.wrongExpectedVersion.actual,
        });
      });
    }
  });

  describe('an empty append', () => {
    it('succeeds on a missing stream without creating it', async () => {
      const stream = uniqueStream('empty');
      const result = await client().appendToStream(stream, [], { expectedRevision: NO_STREAM, ...callOptions });
      // The client reads the unset revision of a no_stream result as 0.
      expect(result).toEqual({ success: true, nextExpectedRevision: 0n, position: undefined });
      await expect(readStreamEvents(client(), stream)).rejects.toThrow(StreamNotFoundError);
    });

    it('reports the current revision of an existing stream', async () => {
      const stream = uniqueStream('empty');
      await client().appendToStream(stream, someEvents(3));
      const result = await client().appendToStream(stream, [], { expectedRevision: 2n, ...callOptions });
      expect(result).toEqual({ success: true, nextExpectedRevision: 2n, position: undefined });
      expect(await readStreamEvents(client(), stream)).toHaveLength(3);
    });

    it('still checks the expected revision', async () => {
      const stream = uniqueStream('empty');
      await client().appendToStream(stream, someEvents(2));
      await expect(
        client().appendToStream(stream, [], { expectedRevision: 5n, ...callOptions }),
      ).rejects.toThrow(WrongExpectedVersionError);
    });
  });

  describe('with throwOnAppendFailure=false', () => {
    it('resolves a version conflict as an unsuccessful result', async () => {
      const base = store().connectionString;
      const lenient = EventStoreDBClient.connectionString(
        `${base}${base.includes('?') ? '&' : '?'}throwOnAppendFailure=false`,
      );
      try {
        const stream = uniqueStream('lenient');
        await lenient.appendToStream(stream, someEvents(2));
        const result = await lenient.appendToStream(stream, someEvents(1), { expectedRevision: 0n, ...callOptions });
        // nextExpectedRevision is not asserted: the client decodes it wrongly on the BatchAppend path.
        expect(result).toMatchObject({ success: false, position: undefined });
        expect(await readStreamEvents(client(), stream)).toHaveLength(2);
      } finally {
        await lenient.dispose();
      }
    });
  });

  describe('re-appending the same event ids', () => {
    it('returns the original result without duplicates when the expected revision is repeated', async () => {
      const stream = uniqueStream('idempotent');
      const events = someEvents(3);
      const first = await client().appendToStream(stream, events, { expectedRevision: NO_STREAM, ...callOptions });
      const again = await client().appendToStream(stream, events, { expectedRevision: NO_STREAM, ...callOptions });
      expect(again).toEqual(first);
      expect((await readStreamEvents(client(), stream)).map((event) => event.id)).toEqual(events.map((e) => e.id));
    });

    it('writes nothing twice with expected revision any', async () => {
      const stream = uniqueStream('idempotent');
      const events = someEvents(2);
      await client().appendToStream(stream, someEvents(1));
      const first = await client().appendToStream(stream, events, { expectedRevision: ANY, ...callOptions });
      const again = await client().appendToStream(stream, events, { expectedRevision: ANY, ...callOptions });
      expect(again).toEqual(first);
      expect(await readStreamEvents(client(), stream)).toHaveLength(3);
    });

    it('rejects a batch that only partly matches what was written', async () => {
      const stream = uniqueStream('idempotent');
      const [written, fresh] = [someEvents(2), someEvents(1)];
      await client().appendToStream(stream, written, { expectedRevision: NO_STREAM });
      await expect(
        client().appendToStream(stream, [written[0], ...fresh], { expectedRevision: NO_STREAM, ...callOptions }),
      ).rejects.toThrow(WrongExpectedVersionError);
      expect(await readStreamEvents(client(), stream)).toHaveLength(2);
    });
  });

  describe('revisions and positions', () => {
    it('numbers events from 0 and returns the last revision and its $all position', async () => {
      const stream = uniqueStream('positions');
      const result = await client().appendToStream(stream, someEvents(3), callOptions);
      const events = await readStreamEvents(client(), stream);
      expect(events.map((event) => event.revision)).toEqual([0n, 1n, 2n]);
      expect(result.nextExpectedRevision).toBe(2n);
      expect(result.position).toEqual(events[2].position);
      expect(result.position!.commit).toBe(result.position!.prepare);
      expect(result.position!.commit).toBeGreaterThan(0n);
    });
  });

  describe('event encoding', () => {
    it('round-trips JSON data and metadata, unicode included', async () => {
      const stream = uniqueStream('encoding');
      const data = { text: 'Grüße, 世界 🚀', amount: 1250, nested: { list: [1, 'two', null] } };
      const metadata = { $correlationId: randomUUID(), source: 'tracker' };
      await client().appendToStream(stream, jsonEvent({ type: 'LeadCaptured', data, metadata }), callOptions);
      const [event] = await readStreamEvents(client(), stream);
      expect(event).toMatchObject({ type: 'LeadCaptured', isJson: true, data, metadata, streamId: stream });
    });

    it('round-trips binary data and leaves absent metadata undefined', async () => {
      const stream = uniqueStream('encoding');
      const bytes = Uint8Array.from([0, 1, 2, 254, 255]);
      await client().appendToStream(stream, binaryEvent({ type: 'Blob', data: bytes }), callOptions);
      const [event] = await readStreamEvents(client(), stream);
      expect(event.isJson).toBe(false);
      expect(Buffer.from(event.data as Uint8Array)).toEqual(Buffer.from(bytes));
      expect(event.metadata).toBeUndefined();
    });

    it('returns custom metadata that is not JSON as bytes', async () => {
      const stream = uniqueStream('encoding');
      const metadata = Uint8Array.from(Buffer.from('not json', 'utf8'));
      await client().appendToStream(stream, binaryEvent({ type: 'Blob', data: new Uint8Array(1), metadata }), callOptions);
      const [event] = await readStreamEvents(client(), stream);
      expect(Buffer.from(event.metadata as Uint8Array).toString('utf8')).toBe('not json');
    });

    it('returns event ids in lowercase', async () => {
      const stream = uniqueStream('encoding');
      const id = randomUUID().toUpperCase();
      await client().appendToStream(stream, jsonEvent({ id, type: 'Upper', data: {} }), callOptions);
      const [event] = await readStreamEvents(client(), stream);
      expect(event.id).toBe(id.toLowerCase());
    });

    it('rejects an event id that is not a UUID', async () => {
      const stream = uniqueStream('encoding');
      await expect(
        client().appendToStream(stream, jsonEvent({ id: 'not-a-uuid', type: 'Bad', data: {} }), callOptions),
      ).rejects.toThrow(UnknownError);
    });

    it('stamps events with their creation time', async () => {
      const stream = uniqueStream('encoding');
      const before = Date.now();
      await client().appendToStream(stream, someEvents(1), callOptions);
      const [event] = await readStreamEvents(client(), stream);
      expect(event.created).toBeInstanceOf(Date);
      expect(event.created.getTime()).toBeGreaterThanOrEqual(before - 5_000);
      expect(event.created.getTime()).toBeLessThanOrEqual(Date.now() + 5_000);
    });
  });

  describe('the maximum append size', () => {
    it('rejects a larger append as a whole', async () => {
      const stream = uniqueStream('oversized');
      const payload = new Uint8Array(64 * 1024);
      const count = Math.ceil(store().maxAppendSize / payload.length) + 1;
      const events = Array.from({ length: count }, () => binaryEvent({ type: 'Chunk', data: payload }));
      const append = client().appendToStream(stream, events, callOptions);
      await expect(append).rejects.toThrow(MaxAppendSizeExceededError);
      await expect(append).rejects.toMatchObject({ maxAppendSize: store().maxAppendSize });
      await expect(readStreamEvents(client(), stream)).rejects.toThrow(StreamNotFoundError);
    });
  });
});

describe('appending concurrently through BatchAppend', () => {
  it('gives each of many multiplexed appends its own result', async () => {
    const streams = Array.from({ length: 40 }, () => uniqueStream('concurrent'));
    const results = await Promise.all(streams.map((stream) => client().appendToStream(stream, someEvents(2))));
    expect(results.every((result) => result.success && result.nextExpectedRevision === 1n)).toBe(true);
    const positions = results.map((result) => result.position!.commit);
    expect(new Set(positions).size).toBe(streams.length);
    const firstEvents = await Promise.all(streams.map((stream) => readStreamEvents(client(), stream)));
    expect(firstEvents.every((events) => events.length === 2)).toBe(true);
  });
});

describe('appending to $all order', () => {
  it('places the events of one append next to each other in $all', async () => {
    const stream = uniqueStream('atomic');
    const result = await client().appendToStream(stream, someEvents(5));
    const [first] = await readStreamEvents(client(), stream, { maxCount: 1 });
    const fromFirst = await readAllEvents(client(), { fromPosition: first.position!, maxCount: 5 });
    expect(fromFirst.map((resolved) => resolved.event?.streamId)).toEqual(Array(5).fill(stream));
    expect(fromFirst[4].event?.position).toEqual(result.position);
  });
});
