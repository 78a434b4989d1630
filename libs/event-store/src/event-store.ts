import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  type AllStreamResolvedEvent,
  type ReadPosition,
  type ResolvedEvent,
  type StreamingRead,
} from '@eventstore/db-client';
import {
  comparePositions,
  isSystemEventType,
  toBigInt,
  toPosition,
  type CommandContext,
  type ExpectedRevision,
  type NewEvent,
  type Position,
  type RecordedEnvelope,
} from './envelope';
import { EventStoreUnavailableError, fromClientError, InvalidEventError, StreamNotFoundError } from './errors';
import { handleCommand, type CommandStore, type Decider, type DomainEvent, type HandleOptions, type HandleResult } from './handle';
import { OffThreadRead } from './off-thread-read';
import { prepareEvent, toEnvelope, toEventData, upcastEnvelope, type PreparedEvent } from './serialization';
import { CatchUpSubscription, isEnvelope, type AllSubscription, type SubscribeToAllOptions } from './subscription';
import { toServerFilter } from './subscription-filter';
import { UpcasterRegistry } from './upcasters';
import { widenReceiveWindow } from './receive-window';

export interface EventStoreOptions {
  /** e.g. `esdb://localhost:2113?tls=false` */
  connectionString: string;
  /** Current schema versions and upcasters of our event types. */
  upcasters?: UpcasterRegistry;
  /** How long `ping()` waits for an answer (default 2 s). */
  pingTimeoutMs?: number;
}

export interface AppendOptions {
  expectedRevision: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the last event written: pass it as `expectedRevision` of the next append. */
  nextExpectedRevision: bigint;
  /** `$all` position of the last event written. */
  position: Position;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  /** Revision to start at (inclusive); default the start, or the end when reading backwards. */
  from?: bigint | 'start' | 'end';
  direction?: Direction;
  maxCount?: number | bigint;
  /** 'empty' (default): a stream that does not exist reads as no events. 'throw': StreamNotFoundError. */
  ifMissing?: 'empty' | 'throw';
  /** Upcast data to the current schema (default). `false` yields data as stored, e.g. for hash verification. */
  upcast?: boolean;
}

export interface ReadAllOptions {
  /** Forwards: events at or after this position; backwards: events before it. */
  from?: Position | 'start' | 'end';
  direction?: Direction;
  /** Maximum number of (non-system) events to return. */
  maxCount?: number;
  upcast?: boolean;
}

const HEAD_PAGE_SIZE = 64;
/**
 * Records per call when reading `$all`. Every read asks the server for a bounded page, so one
 * left half-way can be read to its end instead of being cancelled (see `resolvedEvents`).
 */
const READ_PAGE_SIZE = 2_048;
/** How long close() waits for the client's calls to end before it lets go of them. */
const CLOSE_TIMEOUT_MS = 5_000;

/**
 * Our only door to EventStoreDB. Speaks in envelopes, bigints and our own errors, so
 * nothing else in the system depends on the client library.
 */
export class EventStore {
  private readonly client: EventStoreDBClient;
  private readonly upcasters: UpcasterRegistry;
  private readonly pingTimeoutMs: number;
  private readonly connectionString: string;
  private readonly subscriptions = new Set<CatchUpSubscription>();
  private closing: Promise<void> | undefined;

  constructor(options: EventStoreOptions) {
    widenReceiveWindow();
    this.client = EventStoreDBClient.connectionString(options.connectionString);
    this.connectionString = options.connectionString;
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.pingTimeoutMs = options.pingTimeoutMs ?? 2_000;
  }

  async append(streamName: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (events.length === 0) {
      throw new InvalidEventError(`Nothing to append to ${streamName}: an append needs at least one event`);
    }
    const prepared = events.map((event) => prepareEvent(event, (type) => this.upcasters.currentVersion(type)));
    return this.appendPrepared(streamName, prepared, options.expectedRevision);
  }

  /**
   * Reads one stream. Iterate it to the end, or break out early: a read of at most a page
   * is then read to its end, a longer one cancelled.
   */
  async *readStream(streamName: string, options: ReadStreamOptions = {}): AsyncGenerator<RecordedEnvelope, void, undefined> {
    this.assertOpen();
    const direction = options.direction ?? 'forwards';
    const from = options.from ?? (direction === 'forwards' ? 'start' : 'end');
    const registry = options.upcast === false ? undefined : this.upcasters;
    const read = this.client.readStream(streamName, {
      fromRevision: from === 'start' ? START : from === 'end' ? END : from,
      direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
      ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
    });
    try {
      const bounded = options.maxCount !== undefined && options.maxCount <= READ_PAGE_SIZE;
      yield* this.envelopes(read, registry, streamName, bounded);
    } catch (error) {
      if (error instanceof StreamNotFoundError && (options.ifMissing ?? 'empty') === 'empty') return;
      throw error;
    }
  }

  /**
   * Reads the whole log in order, without system events, a page of calls at a time. Iterate
   * it to the end or break out early.
   */
  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<RecordedEnvelope, void, undefined> {
    this.assertOpen();
    const forwards = (options.direction ?? 'forwards') === 'forwards';
    const registry = options.upcast === false ? undefined : this.upcasters;
    // System events are dropped here, so the server's count is of records, not of events.
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (remaining <= 0) return;
    let from: ReadPosition = toReadPosition(options.from ?? (forwards ? 'start' : 'end'));
    // A forward read from a position includes the record at it: the last one of the page before.
    let already: Position | undefined;
    for (;;) {
      const pageSize = Math.min(READ_PAGE_SIZE, remaining + (already ? 1 : 0));
      const read = this.client.readAll({ fromPosition: from, direction: forwards ? FORWARDS : BACKWARDS, maxCount: pageSize });
      let records = 0;
      let last: Position | undefined;
      for await (const resolved of this.resolvedEvents(read)) {
        records++;
        const recorded = resolved.event;
        if (!recorded) continue;
        last = toPosition(recorded.position);
        if (already !== undefined && comparePositions(last, already) === 0) continue;
        if (isSystemEventType(recorded.type)) continue;
        yield toEnvelope(recorded, registry, resolved.commitPosition);
        if (--remaining <= 0) return;
      }
      if (records < pageSize || last === undefined) return;
      from = last;
      already = forwards ? last : undefined;
    }
  }

  subscribeToAll(options: SubscribeToAllOptions): AllSubscription {
    this.assertOpen();
    const subscription = new CatchUpSubscription(
      {
        open: (from, { filter, checkpointInterval, checkpointReached, readOffThread }) =>
          readOffThread
            ? new OffThreadRead({ connectionString: this.connectionString, from, filter, checkpointInterval, checkpointReached })
            : this.client.subscribeToAll({
                fromPosition: from === 'start' ? START : from,
                filter: toServerFilter(filter, checkpointInterval, (_, position) => checkpointReached(position)),
              }),
        logEnd: () => this.lastLogPosition(),
        toEnvelope: (item, upcast) => {
          const registry = upcast ? this.upcasters : undefined;
          return isEnvelope(item) ? upcastEnvelope(item, registry) : toEnvelope(item.event, registry, item.commitPosition);
        },
      },
      options,
      (ended) => this.subscriptions.delete(ended),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Reads, folds, decides and appends with optimistic concurrency; see `handleCommand`. */
  handle<State, Command, Event extends DomainEvent>(
    streamName: string,
    decider: Decider<State, Command, Event>,
    command: Command,
    context: CommandContext,
    options?: HandleOptions,
  ): Promise<HandleResult<State, Event>> {
    const store: CommandStore = {
      loadStream: (name) => this.readStream(name),
      schemaVersionOf: (type) => this.upcasters.currentVersion(type),
      appendPrepared: (name, events, expectedRevision) => this.appendPrepared(name, events, expectedRevision),
    };
    return handleCommand(store, streamName, decider, command, context, options);
  }

  /** Resolves when the store answers within the ping timeout; rejects with EventStoreUnavailableError otherwise. */
  async ping(timeoutMs = this.pingTimeoutMs): Promise<void> {
    this.assertOpen();
    const read = this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1, deadline: timeoutMs });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new EventStoreUnavailableError(`The event store did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    const answered = (async () => {
      for await (const _ of this.envelopes(read, undefined)) break;
    })();
    try {
      await Promise.race([answered, timeout]);
    } catch (error) {
      void read.cancel().catch(() => undefined);
      answered.catch(() => undefined);
      throw error instanceof EventStoreUnavailableError
        ? error
        : new EventStoreUnavailableError(`The event store did not answer: ${(error as Error).message}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Position of the last non-system event in `$all`, or null when there is none. */
  async headPosition(): Promise<Position | null> {
    this.assertOpen();
    let from: ReadPosition = END;
    for (;;) {
      const read = this.client.readAll({ fromPosition: from, direction: BACKWARDS, maxCount: HEAD_PAGE_SIZE });
      let seen = 0;
      let oldest: Position | undefined;
      for await (const resolved of this.resolvedEvents(read)) {
        seen++;
        const recorded = resolved.event;
        if (!recorded) continue;
        oldest = toPosition(recorded.position);
        if (!isSystemEventType(recorded.type)) return oldest;
      }
      // Reading backwards from a position excludes the event at it, so paging on is exact.
      if (seen < HEAD_PAGE_SIZE || oldest === undefined) return null;
      from = oldest;
    }
  }

  /**
   * Stops every subscription, then releases the connection. Idempotent. A call the server
   * never ends is let go of after a bound rather than holding up the shutdown.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
        timer.unref();
      });
      await Promise.race([this.client.dispose(), bound]).finally(() => clearTimeout(timer));
    })();
    return this.closing;
  }

  /** NestJS lifecycle hook: the module's provider is disposed with the application. */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  get isClosed(): boolean {
    return this.closing !== undefined;
  }

  private async appendPrepared(
    streamName: string,
    events: readonly PreparedEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    this.assertOpen();
    let result;
    try {
      result = await this.client.appendToStream(streamName, events.map(toEventData), {
        expectedRevision: typeof expectedRevision === 'number' ? toBigInt(expectedRevision, 'expected revision') : expectedRevision,
      });
    } catch (error) {
      throw fromClientError(error, streamName);
    }
    if (!result.position) {
      throw new EventStoreUnavailableError(`The event store accepted the append to ${streamName} but reported no position`);
    }
    return {
      nextExpectedRevision: toBigInt(result.nextExpectedRevision, 'revision'),
      position: toPosition(result.position),
    };
  }

  /** Position of the very last record in `$all`, system records included. */
  private async lastLogPosition(): Promise<Position | null> {
    const read = this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 });
    for await (const resolved of this.resolvedEvents(read)) {
      if (resolved.event) return toPosition(resolved.event.position);
    }
    return null;
  }

  private async *envelopes(
    read: StreamingRead<ResolvedEvent> | StreamingRead<AllStreamResolvedEvent>,
    registry: UpcasterRegistry | undefined,
    streamName?: string,
    bounded = true,
  ): AsyncGenerator<RecordedEnvelope, void, undefined> {
    for await (const resolved of this.resolvedEvents(read as StreamingRead<ResolvedEvent>, streamName, bounded)) {
      const recorded = resolved.event;
      if (!recorded || isSystemEventType(recorded.type)) continue;
      yield toEnvelope(recorded, registry, resolved.commitPosition);
    }
  }

  /**
   * The records of one read call, as our errors. A read left half-way is read to its end
   * rather than cancelled when it is bounded: a cancel resets an HTTP/2 stream, and servers
   * close the connection of a client that resets streams at a high rate (the rapid-reset
   * defence), failing every call on it. An unbounded read is cancelled.
   */
  private async *resolvedEvents<E>(read: StreamingRead<E>, streamName?: string, bounded = true): AsyncGenerator<E, void, undefined> {
    const records = read[Symbol.asyncIterator]() as AsyncIterator<E>;
    let ended = false;
    try {
      for (;;) {
        const next = await records.next();
        if (next.done) break;
        yield next.value;
      }
      ended = true;
    } catch (error) {
      ended = true;
      throw fromClientError(error, streamName);
    } finally {
      if (!ended) await (bounded ? drain(records) : read.cancel().then(() => records.return?.())).catch(() => undefined);
    }
  }

  private assertOpen(): void {
    if (this.closing) throw new EventStoreUnavailableError('This EventStore has been closed');
  }
}

async function drain<E>(records: AsyncIterator<E>): Promise<void> {
  while (!(await records.next()).done);
}

function toReadPosition(from: Position | 'start' | 'end'): ReadPosition {
  if (from === 'start') return START;
  if (from === 'end') return END;
  return from;
}
