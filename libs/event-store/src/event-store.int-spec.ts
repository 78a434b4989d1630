import { randomUUID } from 'node:crypto';
import { EventStoreDBClient } from '@eventstore/db-client';
import { useEventStore, type EventStoreHandle } from '../../../test/support/event-store';
import { EventStore } from './event-store';
import { ConcurrencyConflictError, EventSchemaError, StreamDeletedError, StreamNotFoundError } from './errors';
import { closedPort, collect, FIXED_TIME, someMetadata, uniqueCategory } from './test-support/fixtures';
import { UpcasterRegistry } from './upcasters';

jest.setTimeout(60_000);

interface DealAmountV1 {
  amount: number;
}
interface DealAmountV2 {
  amountMinor: number;
  currency: string;
}

const v1Schema = new UpcasterRegistry([{ type: 'DealAmountSet', currentVersion: 1 }]);
const v2Schema = new UpcasterRegistry([
  {
    type: 'DealAmountSet',
    currentVersion: 2,
    upcasters: { 1: (v1: DealAmountV1): DealAmountV2 => ({ amountMinor: Math.round(v1.amount * 100), currency: 'EUR' }) },
  },
]);
const v3Schema = new UpcasterRegistry([
  {
    type: 'DealAmountSet',
    currentVersion: 3,
    upcasters: { 1: (v1: DealAmountV1) => v1, 2: (v2: DealAmountV2) => ({ ...v2, source: 'manual' }) },
  },
]);

describe('EventStore against the event-store dev server', () => {
  let server: EventStoreHandle;
  let store: EventStore;
  let raw: EventStoreDBClient;
  const extraStores: EventStore[] = [];

  function anotherStore(upcasters: UpcasterRegistry): EventStore {
    const other = new EventStore({ connectionString: server.connectionString, upcasters });
    extraStores.push(other);
    return other;
  }

  beforeAll(async () => {
    server = await useEventStore();
    store = new EventStore({ connectionString: server.connectionString, upcasters: v2Schema });
    raw = EventStoreDBClient.connectionString(server.connectionString);
  });

  afterAll(async () => {
    await Promise.all([store.close(), ...extraStores.map((other) => other.close()), raw.dispose()]);
    await server.stop();
  });

  describe('append and readStream', () => {
    it('round-trips events with their envelope', async () => {
      const stream = `${uniqueCategory('opportunity')}-1`;
      const metadata = someMetadata({ actor: { type: 'integration', id: 'salesforce' }, source: 'crm-webhook' });
      const before = Date.now();

      const result = await store.append(
        stream,
        [
          { type: 'OpportunityOpened', data: { amount: 120000, currency: 'EUR', stage: 'discovery' }, metadata },
          { type: 'StageChanged', data: { from: 'discovery', to: 'proposal' }, metadata },
        ],
        { expectedRevision: 'no_stream' },
      );
      const events = await collect(store.readStream(stream));

      expect(result.nextExpectedRevision).toBe(1n);
      expect(events).toEqual([
        {
          eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          type: 'OpportunityOpened',
          data: { amount: 120000, currency: 'EUR', stage: 'discovery' },
          metadata: {
            $correlationId: 'corr-1',
            $causationId: 'cmd-1',
            actor: { type: 'integration', id: 'salesforce' },
            source: 'crm-webhook',
            occurredAt: FIXED_TIME,
            schemaVersion: 1,
          },
          streamName: stream,
          revision: 0n,
          position: { commit: expect.any(BigInt), prepare: expect.any(BigInt) },
          recordedAt: expect.any(Date),
        },
        expect.objectContaining({ type: 'StageChanged', revision: 1n, position: result.position }),
      ]);
      expect(events[0].recordedAt.getTime()).toBeGreaterThanOrEqual(before - 1_000);
      expect(events[0].position.commit).toBeLessThan(events[1].position.commit);
    });

    it('keeps supplied event ids, so re-sending an append changes nothing', async () => {
      const stream = `${uniqueCategory('journey')}-anon-1`;
      const batch = [1, 2].map((n) => ({
        eventId: randomUUID(),
        type: 'TouchpointRecorded',
        data: { kind: 'web_visit', n },
        metadata: someMetadata({ source: 'tracker' }),
      }));

      const first = await store.append(stream, batch, { expectedRevision: 'no_stream' });
      const again = await store.append(stream, batch, { expectedRevision: 'no_stream' });
      const events = await collect(store.readStream(stream));

      expect(again).toEqual(first);
      expect(events.map((event) => event.eventId)).toEqual(batch.map((event) => event.eventId));
    });

    it('enforces the expected revision', async () => {
      const stream = `${uniqueCategory('account')}-1`;
      const event = { type: 'AccountCreated', data: { domain: 'acme.test' }, metadata: someMetadata() };

      await expect(store.append(stream, [event], { expectedRevision: 'stream_exists' })).rejects.toMatchObject({
        code: 'CONFLICT',
        streamName: stream,
        actualRevision: 'no_stream',
      });
      await store.append(stream, [event], { expectedRevision: 'no_stream' });
      await expect(store.append(stream, [event], { expectedRevision: 'no_stream' })).rejects.toThrow(ConcurrencyConflictError);
      await expect(store.append(stream, [event], { expectedRevision: 5n })).rejects.toMatchObject({ actualRevision: 0n });
      await expect(store.append(stream, [event], { expectedRevision: 0n })).resolves.toMatchObject({ nextExpectedRevision: 1n });
      await expect(store.append(stream, [event], { expectedRevision: 'stream_exists' })).resolves.toMatchObject({
        nextExpectedRevision: 2n,
      });
      await expect(store.append(stream, [event], { expectedRevision: 'any' })).resolves.toMatchObject({ nextExpectedRevision: 3n });
    });

    it('reads a missing stream as empty, or fails when asked to', async () => {
      const stream = `${uniqueCategory('contact')}-nobody`;

      await expect(collect(store.readStream(stream))).resolves.toEqual([]);
      await expect(collect(store.readStream(stream, { ifMissing: 'throw' }))).rejects.toThrow(StreamNotFoundError);
    });

    it('reads backwards, from a revision and up to a count', async () => {
      const stream = `${uniqueCategory('campaign')}-1`;
      const events = [0, 1, 2, 3, 4].map((day) => ({ type: 'CampaignSpendRecorded', data: { day }, metadata: someMetadata() }));
      await store.append(stream, events, { expectedRevision: 'no_stream' });

      const days = async (options: Parameters<EventStore['readStream']>[1]) =>
        (await collect(store.readStream(stream, options))).map((event) => (event.data as { day: number }).day);

      expect(await days({ direction: 'backwards' })).toEqual([4, 3, 2, 1, 0]);
      expect(await days({ from: 2n, maxCount: 2 })).toEqual([2, 3]);
      expect(await days({ direction: 'backwards', from: 1n })).toEqual([1, 0]);
    });

    it('stops the read when the reader leaves early', async () => {
      const stream = `${uniqueCategory('campaign')}-2`;
      await store.append(
        stream,
        [0, 1, 2].map((day) => ({ type: 'CampaignSpendRecorded', data: { day }, metadata: someMetadata() })),
        { expectedRevision: 'no_stream' },
      );

      for await (const event of store.readStream(stream)) {
        expect(event.revision).toBe(0n);
        break;
      }
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('reports a tombstoned stream as deleted on read and on append', async () => {
      const stream = `${uniqueCategory('contact')}-erased`;
      await store.append(stream, [{ type: 'LeadCaptured', data: {}, metadata: someMetadata() }], { expectedRevision: 'no_stream' });
      await raw.tombstoneStream(stream);

      await expect(collect(store.readStream(stream))).rejects.toThrow(StreamDeletedError);
      await expect(
        store.append(stream, [{ type: 'LeadCaptured', data: {}, metadata: someMetadata() }], { expectedRevision: 'any' }),
      ).rejects.toMatchObject({ code: 'STREAM_DELETED', streamName: stream });
    });

    it('refuses to append nothing', async () => {
      await expect(store.append('contact-1', [], { expectedRevision: 'any' })).rejects.toMatchObject({ code: 'INVALID_EVENT' });
    });
  });

  describe('schema versions', () => {
    it('upcasts every stored version to the current shape on read, and keeps the stored form on request', async () => {
      const stream = `${uniqueCategory('opportunity')}-1`;
      await anotherStore(v1Schema).append(stream, [{ type: 'DealAmountSet', data: { amount: 1250.5 }, metadata: someMetadata() }], {
        expectedRevision: 'no_stream',
      });
      await store.append(stream, [{ type: 'DealAmountSet', data: { amountMinor: 99900, currency: 'USD' }, metadata: someMetadata() }], {
        expectedRevision: 0n,
      });

      const upcast = await collect(store.readStream(stream));
      const stored = await collect(store.readStream(stream, { upcast: false }));

      expect(upcast.map((event) => [event.metadata.schemaVersion, event.data])).toEqual([
        [1, { amountMinor: 125050, currency: 'EUR' }],
        [2, { amountMinor: 99900, currency: 'USD' }],
      ]);
      expect(stored.map((event) => event.data)).toEqual([{ amount: 1250.5 }, { amountMinor: 99900, currency: 'USD' }]);
    });

    it('fails clearly on an event written by a newer release', async () => {
      const stream = `${uniqueCategory('opportunity')}-2`;
      await anotherStore(v3Schema).append(
        stream,
        [{ type: 'DealAmountSet', data: { amountMinor: 1, currency: 'EUR', source: 'manual' }, metadata: someMetadata() }],
        { expectedRevision: 'no_stream' },
      );

      const reading = collect(store.readStream(stream));
      await expect(reading).rejects.toThrow(EventSchemaError);
      await expect(reading).rejects.toMatchObject({ problem: 'newer_than_known', eventType: 'DealAmountSet' });
    });
  });

  describe('readAll', () => {
    it('reads the log in order from a position, without system events', async () => {
      const category = uniqueCategory('pipeline');
      const first = await store.append(`${category}-1`, [{ type: 'PipelineDefined', data: { n: 1 }, metadata: someMetadata() }], {
        expectedRevision: 'no_stream',
      });
      // Stream metadata is stored as a $metadata event in $$<stream>: a system event.
      await raw.setStreamMetadata(`${category}-1`, { $maxCount: 100 });
      await store.append(`${category}-2`, [{ type: 'PipelineDefined', data: { n: 2 }, metadata: someMetadata() }], {
        expectedRevision: 'no_stream',
      });
      await store.append(`${category}-1`, [{ type: 'StagesRevised', data: { n: 3 }, metadata: someMetadata() }], {
        expectedRevision: 0n,
      });

      const events = await collect(store.readAll({ from: first.position }));

      expect(events.every((event) => !event.type.startsWith('$'))).toBe(true);
      expect(events.filter((event) => event.streamName.startsWith(category)).map((event) => event.data)).toEqual([
        { n: 1 },
        { n: 2 },
        { n: 3 },
      ]);
      expect(events[0].position).toEqual(first.position);
    });

    it('counts only the events it returns, and reads backwards from the end', async () => {
      const category = uniqueCategory('campaign');
      await store.append(`${category}-1`, [1, 2, 3].map((n) => ({ type: 'CampaignCreated', data: { n }, metadata: someMetadata() })), {
        expectedRevision: 'no_stream',
      });
      await raw.setStreamMetadata(`${category}-1`, { $maxCount: 100 });

      const latest = await collect(store.readAll({ direction: 'backwards', maxCount: 2 }));

      expect(latest.map((event) => event.data)).toEqual([{ n: 3 }, { n: 2 }]);
    });

    it('reads past a page of the server in both directions, once each and in order', async () => {
      const stream = `${uniqueCategory('touchpoint')}-1`;
      // More records than one read call asks for (2,048), so the read goes on from the last one.
      const count = 2_500;
      const written = await store.append(
        stream,
        Array.from({ length: count }, (_, n) => ({ type: 'TouchpointRecorded', data: { n }, metadata: someMetadata() })),
        { expectedRevision: 'no_stream' },
      );
      // Stored as written: an earlier test left an event of a newer schema in the log.
      const all = await collect(store.readAll({ from: 'start', upcast: false }));
      const ours = all.filter((event) => event.streamName === stream).map((event) => (event.data as { n: number }).n);
      expect(ours).toEqual(Array.from({ length: count }, (_, n) => n));
      expect(new Set(all.map((event) => `${event.position.commit}/${event.position.prepare}`)).size).toBe(all.length);

      const latest = await collect(store.readAll({ direction: 'backwards', maxCount: count, upcast: false }));
      expect(latest.map((event) => (event.data as { n: number }).n)).toEqual(Array.from({ length: count }, (_, n) => count - 1 - n));
      expect(latest[0].position).toEqual(written.position);
    });

    it('leaves the connection usable after many reads abandoned half-way', async () => {
      const stream = `${uniqueCategory('touchpoint')}-1`;
      await store.append(
        stream,
        Array.from({ length: 100 }, (_, n) => ({ type: 'TouchpointRecorded', data: { n }, metadata: someMetadata() })),
        { expectedRevision: 'no_stream' },
      );
      // Cancelling each would reset an HTTP/2 stream every time; a server throttles a client
      // that does so at this rate by closing its connection, which fails every call on it.
      for (let round = 0; round < 500; round++) {
        await Promise.all([
          store.headPosition(),
          (async () => {
            for await (const event of store.readAll({ direction: 'backwards', maxCount: 50 })) if (event) break;
          })(),
          (async () => {
            for await (const event of store.readStream(stream, { maxCount: 20 })) if (event) break;
          })(),
        ]);
      }
      const events = await collect(store.readStream(stream));
      expect(events).toHaveLength(100);
    });
  });

  describe('headPosition', () => {
    it('is the position of the last event that is not a system event', async () => {
      const stream = `${uniqueCategory('contact')}-1`;
      const written = await store.append(stream, [{ type: 'LeadCaptured', data: {}, metadata: someMetadata() }], {
        expectedRevision: 'no_stream',
      });
      await raw.setStreamMetadata(stream, { $maxCount: 5 });

      expect(await store.headPosition()).toEqual(written.position);
    });
  });

  describe('ping', () => {
    it('resolves when the store answers', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('rejects quickly when nothing answers', async () => {
      const nowhere = new EventStore({ connectionString: `esdb://127.0.0.1:${await closedPort()}?tls=false`, pingTimeoutMs: 1_000 });
      const started = Date.now();
      try {
        await expect(nowhere.ping()).rejects.toMatchObject({ code: 'EVENT_STORE_UNAVAILABLE' });
        expect(Date.now() - started).toBeLessThan(1_500);
      } finally {
        await nowhere.close();
      }
    });
  });
});
