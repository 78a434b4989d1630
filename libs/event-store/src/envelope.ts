import { InvalidEventError } from './errors';

export type ActorType = 'user' | 'integration' | 'system';

export interface Actor {
  type: ActorType;
  id: string;
}

/** Where an event entered the system. Open-ended: importers and webhooks add their own. */
export type EventSource = 'api' | 'tracker' | 'crm-webhook' | 'import' | 'system' | (string & {});

/**
 * Custom metadata stored with every event. `$correlationId` and `$causationId` are
 * EventStoreDB's own keys, so its tooling (and system projections) understand them.
 */
export interface EventMetadata {
  $correlationId: string;
  $causationId: string;
  actor: Actor;
  source: EventSource;
  /** Business time, UTC ISO-8601; the store's own `recordedAt` is technical time. */
  occurredAt: string;
  /** Schema version of `data` as stored; readers upcast from it to the current version. */
  schemaVersion: number;
  /** Hash of the previous event of the stream, or null for its first event. */
  prevHash?: string | null;
  /** sha256 (hex) over the canonical JSON of stream name, type, data and the rest of this metadata. */
  hash?: string;
}

/** Metadata a writer supplies; the schema version is stamped by the store. */
export type NewEventMetadata = Omit<EventMetadata, 'schemaVersion'>;

export interface NewEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
  metadata: NewEventMetadata;
  /** A UUID. Supply one to make the append idempotent; otherwise one is generated. */
  eventId?: string;
}

/** A logical record position in the `$all` log. */
export interface Position {
  commit: bigint;
  prepare: bigint;
}

export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface RecordedEnvelope<Type extends string = string, Data = unknown> {
  eventId: string;
  type: Type;
  /** Upcast to the current schema version unless read with `upcast: false`. */
  data: Data;
  /** As stored: `schemaVersion` names the version that was written. */
  metadata: EventMetadata;
  streamName: string;
  revision: bigint;
  position: Position;
  recordedAt: Date;
}

/** Who did what, when and why — carried from the command into every event it produces. */
export interface CommandContext {
  correlationId: string;
  causationId: string;
  actor: Actor;
  source: EventSource;
  /** Business time of the command; a Date or an ISO-8601 string with a zone. */
  occurredAt: string | Date;
}

export function metadataFrom(context: CommandContext): NewEventMetadata {
  return {
    $correlationId: context.correlationId,
    $causationId: context.causationId,
    actor: { type: context.actor.type, id: context.actor.id },
    source: context.source,
    occurredAt: toUtcIso(context.occurredAt),
  };
}

// Without an explicit zone, Date parses ISO date-times as local time, which would make
// the stored business time depend on the server's TZ.
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function toUtcIso(value: string | Date): string {
  if (typeof value === 'string' && !ISO_WITH_ZONE.test(value)) {
    throw new InvalidEventError(`occurredAt must be an ISO-8601 date-time with a zone, got "${value}"`);
  }
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) {
    throw new InvalidEventError(`occurredAt is not a valid date: "${String(value)}"`);
  }
  return date.toISOString();
}

/**
 * Revisions and positions are 64-bit; the client has at times handed them over as
 * numbers or decimal strings instead of bigints. Everything leaving this library is a bigint.
 */
export function toBigInt(value: bigint | number | string, what = 'value'): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new RangeError(`${what} ${value} is not a safe integer; precision was lost before it reached us`);
    }
    return BigInt(value);
  }
  if (!/^-?\d+$/.test(value)) throw new RangeError(`${what} "${value}" is not an integer`);
  return BigInt(value);
}

export function toPosition(value: { commit: bigint | number | string; prepare: bigint | number | string }): Position {
  return { commit: toBigInt(value.commit, 'commit position'), prepare: toBigInt(value.prepare, 'prepare position') };
}

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** EventStoreDB reserves `$`-prefixed event types for itself ($metadata, $>, $streamDeleted, $stats…). */
export function isSystemEventType(type: string): boolean {
  return type.startsWith('$');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
