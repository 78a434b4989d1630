import type { RecordedEvent } from '@eventstore/db-client';
import type { RecordedEnvelope } from './envelope';
import { packEnvelope, prepareEvent, toEnvelope, toEventData, unpackEnvelope } from './serialization';
import { UpcasterRegistry } from './upcasters';

const metadata = {
  $correlationId: 'corr-1',
  $causationId: 'cmd-1',
  actor: { type: 'user' as const, id: 'u-1' },
  source: 'api',
  occurredAt: '2024-05-02T12:00:00+02:00',
};

const registry = new UpcasterRegistry([
  {
    type: 'AmountChanged',
    currentVersion: 2,
    upcasters: { 1: (v1: { amount: number }) => ({ amount: Math.round(v1.amount * 100), currency: 'EUR' }) },
  },
]);

function recorded(overrides: Partial<Record<keyof RecordedEvent, unknown>> = {}): RecordedEvent {
  return {
    streamId: 'opportunity-1',
    id: '6f1c2a4e-8d9b-4c3e-9f10-2a3b4c5d6e7f',
    revision: 4n,
    type: 'AmountChanged',
    created: new Date('2024-05-02T10:00:01.000Z'),
    data: { amount: 1250.5 },
    metadata: { ...metadata, occurredAt: '2024-05-02T10:00:00.000Z', schemaVersion: 1 },
    isJson: true,
    position: { commit: 9001n, prepare: 9001n },
    ...overrides,
  } as RecordedEvent;
}

describe('prepareEvent', () => {
  it('stamps the current schema version and normalises the business time to UTC', () => {
    const prepared = prepareEvent(
      { type: 'AmountChanged', data: { amount: 125050, currency: 'EUR' }, metadata },
      (type) => registry.currentVersion(type),
    );
    expect(prepared.metadata).toEqual({ ...metadata, occurredAt: '2024-05-02T10:00:00.000Z', schemaVersion: 2 });
  });

  it('keeps a supplied event id and generates one otherwise', () => {
    const id = '0b8e3c9a-2f4d-4e1a-9c7b-5d6e7f809a1b';
    expect(prepareEvent({ type: 'T', data: {}, metadata, eventId: id }, () => 1).eventId).toBe(id);
    expect(prepareEvent({ type: 'T', data: {}, metadata }, () => 1).eventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('stores data in its JSON form', () => {
    const prepared = prepareEvent(
      { type: 'T', data: { at: new Date('2024-05-02T10:00:00Z'), gone: undefined, kept: 1 }, metadata },
      () => 1,
    );
    expect(prepared.data).toEqual({ at: '2024-05-02T10:00:00.000Z', kept: 1 });
  });

  it.each([
    ['an event id that is not a UUID', { eventId: 'touch-1' }, /must be a UUID/],
    ['a reserved $ type', { type: '$metadata' }, /reserved/],
    ['data that is not an object', { data: 'text' }, /JSON object or array/],
    ['a missing correlation id', { metadata: { ...metadata, $correlationId: '' } }, /\$correlationId/],
    ['an unknown actor type', { metadata: { ...metadata, actor: { type: 'robot', id: 'r' } } }, /actor/],
  ])('refuses %s', (_, override, message) => {
    const event = { type: 'T', data: {}, metadata, ...override } as Parameters<typeof prepareEvent>[0];
    expect(() => prepareEvent(event, () => 1)).toThrow(expect.objectContaining({ code: 'INVALID_EVENT', message: expect.stringMatching(message) }));
  });

  it('writes JSON data and metadata for the client', () => {
    const data = toEventData(prepareEvent({ type: 'T', data: { a: 1 }, metadata }, () => 1));
    expect(data).toMatchObject({ contentType: 'application/json', type: 'T', data: { a: 1 }, metadata: { schemaVersion: 1 } });
  });
});

describe('toEnvelope', () => {
  it('upcasts data to the current shape and keeps metadata as stored', () => {
    const envelope = toEnvelope(recorded(), registry);
    expect(envelope).toEqual({
      eventId: '6f1c2a4e-8d9b-4c3e-9f10-2a3b4c5d6e7f',
      type: 'AmountChanged',
      data: { amount: 125050, currency: 'EUR' },
      metadata: { ...metadata, occurredAt: '2024-05-02T10:00:00.000Z', schemaVersion: 1 },
      streamName: 'opportunity-1',
      revision: 4n,
      position: { commit: 9001n, prepare: 9001n },
      recordedAt: new Date('2024-05-02T10:00:01.000Z'),
    });
  });

  it('returns data as stored when no registry is given', () => {
    expect(toEnvelope(recorded(), undefined).data).toEqual({ amount: 1250.5 });
  });

  it('normalises a revision and position that arrive as numbers', () => {
    const envelope = toEnvelope(recorded({ revision: 4, position: { commit: 9001, prepare: 9001 } }), registry);
    expect(envelope.revision).toBe(4n);
    expect(envelope.position).toEqual({ commit: 9001n, prepare: 9001n });
  });

  it('falls back to the resolved commit position when the record has none', () => {
    expect(toEnvelope(recorded({ position: undefined }), registry, 77).position).toEqual({ commit: 77n, prepare: 77n });
  });

  it('reads events without our metadata as schema version 1', () => {
    const envelope = toEnvelope(recorded({ metadata: undefined }), registry);
    expect(envelope.metadata.schemaVersion).toBe(1);
    expect(envelope.data).toEqual({ amount: 125050, currency: 'EUR' });
  });
});

describe('packEnvelope and unpackEnvelope', () => {
  const stored = { ...metadata, occurredAt: '2024-05-02T10:00:00.000Z', schemaVersion: 2 };
  const envelope = (eventMetadata: unknown): RecordedEnvelope => ({ ...toEnvelope(recorded(), undefined), metadata: eventMetadata as RecordedEnvelope['metadata'] });

  it.each([
    ['as the store writes it', true, stored],
    ['with the hash chain, at the start of a stream', true, { ...stored, prevHash: null, hash: 'ab12' }],
    ['with the hash chain, further on', true, { ...stored, prevHash: 'ab12', hash: 'cd34' }],
    ['another tool wrote, without ours', false, { schemaVersion: 1 }],
    ['with a key of its own', false, { ...stored, tenant: 't-1' }],
    ['with its keys in another order', false, { $causationId: 'cmd-1', $correlationId: 'corr-1', actor: metadata.actor, source: 'api', occurredAt: stored.occurredAt, schemaVersion: 2 }],
    ['whose actor has more to it', false, { ...stored, actor: { type: 'user', id: 'u-1', name: 'Ada' } }],
    ['whose actor is no object', false, { ...stored, actor: 'u-1' }],
    ['with half a hash chain', false, { ...stored, prevHash: 'ab12' }],
    ['with other keys where the hash chain goes', false, { ...stored, previous: 'ab12', next: 'cd34' }],
  ])('gives back metadata %s whole, its keys in their order (sent as an array: %s)', (_, asArray, eventMetadata) => {
    const original = envelope(eventMetadata);
    const packed = structuredClone(packEnvelope(original));
    const unpacked = unpackEnvelope(packed);
    expect(Array.isArray(packed[8])).toBe(asArray);
    expect(unpacked).toEqual(original);
    expect(Object.keys(unpacked.metadata)).toEqual(Object.keys(eventMetadata));
    if (asArray) expect(Object.keys(unpacked.metadata.actor)).toEqual(['type', 'id']);
  });
});
