import { randomUUID } from 'node:crypto';
import { jsonEvent, type EventData, type RecordedEvent } from '@eventstore/db-client';
import {
  isUuid,
  toBigInt,
  toPosition,
  toUtcIso,
  type EventMetadata,
  type NewEvent,
  type Position,
  type RecordedEnvelope,
} from './envelope';
import { InvalidEventError } from './errors';
import type { UpcasterRegistry } from './upcasters';

/** An event ready to be written: id fixed, schema version stamped, data in its stored JSON form. */
export interface PreparedEvent {
  eventId: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
}

const ACTOR_TYPES = new Set(['user', 'integration', 'system']);

export function prepareEvent(event: NewEvent, schemaVersionOf: (type: string) => number): PreparedEvent {
  const { type, data, metadata } = event;
  if (typeof type !== 'string' || type.length === 0) throw new InvalidEventError('Event type must be a non-empty string');
  if (type.startsWith('$')) throw new InvalidEventError(`Event type ${type}: $-prefixed types are reserved for the store`);
  const eventId = event.eventId ?? randomUUID();
  if (!isUuid(eventId)) throw new InvalidEventError(`Event id of ${type} must be a UUID, got "${eventId}"`);
  if (typeof data !== 'object' || data === null) throw new InvalidEventError(`Data of ${type} must be a JSON object or array`);
  requireText(metadata?.$correlationId, '$correlationId', type);
  requireText(metadata.$causationId, '$causationId', type);
  requireText(metadata.source, 'source', type);
  if (!metadata.actor || !ACTOR_TYPES.has(metadata.actor.type) || typeof metadata.actor.id !== 'string') {
    throw new InvalidEventError(`Metadata of ${type}: actor must be { type: user|integration|system, id }`);
  }
  // Only the known keys are stored, in a fixed shape, so what is hashed is exactly what is written.
  const stored: EventMetadata = {
    $correlationId: metadata.$correlationId,
    $causationId: metadata.$causationId,
    actor: { type: metadata.actor.type, id: metadata.actor.id },
    source: metadata.source,
    occurredAt: toUtcIso(metadata.occurredAt),
    schemaVersion: schemaVersionOf(type),
  };
  if (metadata.prevHash !== undefined) stored.prevHash = metadata.prevHash;
  if (metadata.hash !== undefined) stored.hash = metadata.hash;
  return { eventId, type, data: toStoredJson(data, type), metadata: stored };
}

function requireText(value: unknown, field: string, type: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidEventError(`Metadata of ${type}: ${field} must be a non-empty string`);
  }
}

/**
 * The JSON value the store will hand back (Dates become strings, undefined fields vanish),
 * so a hash computed over it before writing still matches after reading.
 */
function toStoredJson(data: object, type: string): unknown {
  try {
    return JSON.parse(JSON.stringify(data)) as unknown;
  } catch (error) {
    throw new InvalidEventError(`Data of ${type} is not JSON-serialisable`, { cause: error });
  }
}

export function toEventData(event: PreparedEvent): EventData {
  return jsonEvent({
    id: event.eventId,
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata: event.metadata as unknown as Record<string, unknown>,
  });
}

/**
 * Builds our envelope from a recorded event. With a registry, `data` is upcast to the
 * current schema version; without, it stays as stored (what hash verification needs).
 */
export function toEnvelope(
  recorded: RecordedEvent,
  registry: UpcasterRegistry | undefined,
  commitPosition?: bigint | number,
): RecordedEnvelope {
  return upcastEnvelope(storedEnvelope(recorded, commitPosition), registry);
}

/** The envelope of a recorded event with `data` as stored. */
export function storedEnvelope(recorded: RecordedEvent, commitPosition?: bigint | number): RecordedEnvelope {
  return {
    eventId: recorded.id,
    type: recorded.type,
    data: recorded.data,
    metadata: readMetadata(recorded.metadata),
    streamName: recorded.streamId,
    revision: toBigInt(recorded.revision as bigint | number, 'revision'),
    position: positionOf(recorded, commitPosition),
    recordedAt: recorded.created,
  };
}

/** With a registry, the envelope with `data` upcast to the current schema version: the same envelope when it is current already. */
export function upcastEnvelope(stored: RecordedEnvelope, registry: UpcasterRegistry | undefined): RecordedEnvelope {
  if (!registry) return stored;
  const data = registry.upcast(stored.metadata.schemaVersion, stored.data, {
    type: stored.type,
    streamName: stored.streamName,
    metadata: stored.metadata as unknown as Record<string, unknown>,
  });
  return data === stored.data ? stored : { ...stored, data };
}

/**
 * An envelope's fields in a fixed order, for passing envelopes between threads: an array is
 * copied across at about two thirds of the cost of an object, whose field names are written
 * and read again for every event.
 */
export type PackedEnvelope = readonly [
  eventId: string,
  type: string,
  streamName: string,
  revision: bigint,
  commit: bigint,
  prepare: bigint,
  recordedAt: Date,
  data: unknown,
  metadata: EventMetadata,
];

export function packEnvelope(envelope: RecordedEnvelope): PackedEnvelope {
  const { eventId, type, streamName, revision, position, recordedAt, data, metadata } = envelope;
  return [eventId, type, streamName, revision, position.commit, position.prepare, recordedAt, data, metadata];
}

export function unpackEnvelope(packed: PackedEnvelope): RecordedEnvelope {
  const [eventId, type, streamName, revision, commit, prepare, recordedAt, data, metadata] = packed;
  return { eventId, type, data, metadata, streamName, revision, position: { commit, prepare }, recordedAt };
}

function positionOf(recorded: RecordedEvent, commitPosition: bigint | number | undefined): Position {
  if (recorded.position) return toPosition(recorded.position);
  // Modern log records have commit == prepare, so the resolved event's commit position is enough.
  if (commitPosition !== undefined) {
    const commit = toBigInt(commitPosition, 'commit position');
    return { commit, prepare: commit };
  }
  return { commit: 0n, prepare: 0n };
}

// Events written by other tools may carry no or foreign metadata; such events are still
// readable, with schemaVersion 1 assumed.
function readMetadata(raw: unknown): EventMetadata {
  const metadata =
    typeof raw === 'object' && raw !== null && !Array.isArray(raw) && !(raw instanceof Uint8Array)
      ? (raw as Record<string, unknown>)
      : {};
  const version = metadata.schemaVersion;
  return { ...metadata, schemaVersion: version === undefined ? 1 : (version as number) } as EventMetadata;
}
