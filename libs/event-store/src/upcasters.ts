import { EventSchemaError } from './errors';

export interface UpcastContext {
  type: string;
  streamName: string;
  /** The stored metadata, e.g. to default a new field from `occurredAt`. */
  metadata: Readonly<Record<string, unknown>>;
}

/**
 * Turns `data` stored at version N into version N+1. Typed loosely on purpose: a chain
 * of `(v1: V1) => V2`, `(v2: V2) => V3` functions all fit, since stored JSON is untyped anyway.
 */
export type Upcaster = (data: never, context: UpcastContext) => unknown;

export interface EventSchema {
  type: string;
  /** Version stamped on every new event of this type. */
  currentVersion: number;
  /** Keyed by the version they upgrade *from*: `{ 1: v1ToV2, 2: v2ToV3 }`. */
  upcasters?: Readonly<Record<number, Upcaster>>;
}

interface RegisteredSchema {
  currentVersion: number;
  upcasters: ReadonlyMap<number, Upcaster>;
}

/**
 * Knows the current schema version of each event type and how to bring older stored
 * versions up to it, so replays of old history keep working after a schema change.
 *
 * Types that were never registered are at version 1 and pass through untouched: a
 * projection reading `$all` must be able to skip event types it does not know.
 */
export class UpcasterRegistry {
  private readonly schemas = new Map<string, RegisteredSchema>();

  constructor(schemas: readonly EventSchema[] = []) {
    for (const schema of schemas) this.register(schema);
  }

  register(schema: EventSchema): this {
    const { type, currentVersion } = schema;
    if (this.schemas.has(type)) throw new Error(`Event type ${type} is already registered`);
    if (!Number.isSafeInteger(currentVersion) || currentVersion < 1) {
      throw new Error(`Event type ${type}: currentVersion must be a positive integer, got ${currentVersion}`);
    }
    const upcasters = new Map<number, Upcaster>();
    for (const [key, upcaster] of Object.entries(schema.upcasters ?? {})) {
      const from = Number(key);
      if (!Number.isSafeInteger(from) || from < 1 || from >= currentVersion) {
        throw new Error(`Event type ${type}: upcaster from v${key} is outside 1..${currentVersion - 1}`);
      }
      upcasters.set(from, upcaster);
    }
    this.schemas.set(type, { currentVersion, upcasters });
    return this;
  }

  currentVersion(type: string): number {
    return this.schemas.get(type)?.currentVersion ?? 1;
  }

  /** Brings `data` stored at `storedVersion` to the current version of its type. */
  upcast(storedVersion: number, data: unknown, context: UpcastContext): unknown {
    const { type } = context;
    const schema = this.schemas.get(type);
    if (!schema) return data;
    if (!Number.isSafeInteger(storedVersion) || storedVersion < 1) {
      throw new EventSchemaError(
        'invalid_version',
        type,
        `${type} in ${context.streamName} has schemaVersion ${String(storedVersion)}; expected a positive integer`,
      );
    }
    if (storedVersion > schema.currentVersion) {
      throw new EventSchemaError(
        'newer_than_known',
        type,
        `${type} in ${context.streamName} was stored at v${storedVersion}, but this build only knows up to v${schema.currentVersion}; it was written by a newer release`,
      );
    }
    let current = data;
    for (let version = storedVersion; version < schema.currentVersion; version++) {
      const upcaster = schema.upcasters.get(version);
      if (!upcaster) {
        throw new EventSchemaError(
          'missing_upcaster',
          type,
          `${type} in ${context.streamName} was stored at v${storedVersion}, but no upcaster takes v${version} to v${version + 1}`,
        );
      }
      try {
        current = upcaster(current as never, context);
      } catch (error) {
        throw new EventSchemaError(
          'upcaster_failed',
          type,
          `Upcasting ${type} in ${context.streamName} from v${version} to v${version + 1} failed: ${messageOf(error)}`,
          { cause: error },
        );
      }
    }
    return current;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
