import {
  convertToCommandError,
  ErrorType,
  isCommandError,
  WrongExpectedVersionError as ClientWrongExpectedVersionError,
} from '@eventstore/db-client';

/**
 * Every error this library throws carries a stable `code`, so callers (the API's exception
 * filter, the projector) can react without importing the EventStoreDB client's classes.
 */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export type ActualRevision = bigint | 'no_stream' | 'unknown';

/** The stream moved on since it was read: another writer got there first. */
export class ConcurrencyConflictError extends EventStoreError {
  readonly code = 'CONFLICT';
  /** Set when `handle` gave up after retrying. */
  readonly attempts: number | undefined;

  constructor(
    readonly streamName: string,
    readonly expectedRevision: string,
    readonly actualRevision: ActualRevision,
    options?: { attempts?: number; cause?: unknown },
  ) {
    super(
      options?.attempts
        ? `Stream ${streamName} kept changing underneath: gave up after ${options.attempts} attempts (expected revision ${expectedRevision}, actual ${String(actualRevision)})`
        : `Stream ${streamName} is at revision ${String(actualRevision)}, expected ${expectedRevision}`,
      { cause: options?.cause },
    );
    this.attempts = options?.attempts;
  }
}

export class StreamNotFoundError extends EventStoreError {
  readonly code = 'STREAM_NOT_FOUND';

  constructor(
    readonly streamName: string,
    options?: { cause?: unknown },
  ) {
    super(`Stream ${streamName} does not exist`, options);
  }
}

/** The stream was tombstoned: it can never be read or written again. */
export class StreamDeletedError extends EventStoreError {
  readonly code = 'STREAM_DELETED';

  constructor(
    readonly streamName: string,
    options?: { cause?: unknown },
  ) {
    super(`Stream ${streamName} has been deleted`, options);
  }
}

/** The store could not be reached or did not answer in time; retrying later may succeed. */
export class EventStoreUnavailableError extends EventStoreError {
  readonly code = 'EVENT_STORE_UNAVAILABLE';
}

export type EventSchemaProblem = 'newer_than_known' | 'missing_upcaster' | 'upcaster_failed' | 'invalid_version';

/** A stored event cannot be brought to the shape this build expects. */
export class EventSchemaError extends EventStoreError {
  readonly code = 'EVENT_SCHEMA';

  constructor(
    readonly problem: EventSchemaProblem,
    readonly eventType: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What a caller asked to write is malformed (bad event id, bad date, nothing to append…). */
export class InvalidEventError extends EventStoreError {
  readonly code = 'INVALID_EVENT';
}

/** Anything else the store reported; the original client error is the `cause`. */
export class EventStoreFailureError extends EventStoreError {
  readonly code = 'EVENT_STORE_FAILURE';
}

/**
 * Translates the client's errors into ours. Dispatches on the client's `type` tag rather
 * than on `instanceof`, which fails when two copies of the client are installed.
 * Non-client errors pass through unchanged.
 */
export function fromClientError(thrown: unknown, streamName?: string): unknown {
  if (thrown instanceof EventStoreError || !(thrown instanceof Error)) return thrown;
  // Some client paths (e.g. the server-features probe before an append) rethrow the raw
  // gRPC status error instead of one of the client's classes.
  const error = convertToCommandError(thrown);
  if (!isCommandError(error)) return thrown;
  switch (error.type) {
    case ErrorType.WRONG_EXPECTED_VERSION: {
      const wev = error as ClientWrongExpectedVersionError;
      return new ConcurrencyConflictError(
        wev.streamName || streamName || 'unknown',
        String(wev.expectedVersion),
        actualRevisionOf(wev.actualVersion),
        { cause: error },
      );
    }
    case ErrorType.STREAM_NOT_FOUND:
      return new StreamNotFoundError(streamNameOf(error) || streamName || 'unknown', { cause: error });
    case ErrorType.STREAM_DELETED:
      return new StreamDeletedError(streamNameOf(error) || streamName || 'unknown', { cause: error });
    case ErrorType.UNAVAILABLE:
    case ErrorType.CANCELLED:
    case ErrorType.DEADLINE_EXCEEDED:
    case ErrorType.TIMEOUT:
    case ErrorType.NOT_LEADER:
      return new EventStoreUnavailableError(`Event store unavailable: ${error.message}`, { cause: error });
    default:
      return new EventStoreFailureError(`Event store error (${error.type}): ${error.message}`, { cause: error });
  }
}

function streamNameOf(error: object): string | undefined {
  const name = (error as { streamName?: unknown }).streamName;
  return typeof name === 'string' ? name : undefined;
}

function actualRevisionOf(value: unknown): ActualRevision {
  if (value === 'no_stream') return 'no_stream';
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  return 'unknown';
}

/**
 * Whether a failure says the store went away (restart, network, overload) rather than
 * that the request itself is wrong. Only the former is worth reconnecting for.
 */
export function isTransientStoreError(error: unknown): boolean {
  if (error instanceof EventStoreUnavailableError) return true;
  if (error instanceof EventStoreFailureError) {
    const cause = error.cause;
    // A connection torn down mid-call surfaces as an INTERNAL/UNKNOWN status (RST_STREAM,
    // "Stream removed"), which the client reports as its catch-all unknown error.
    return cause instanceof Error && isCommandError(cause) && cause.type === ErrorType.UNKNOWN;
  }
  return false;
}
