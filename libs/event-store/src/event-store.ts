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
import { prepareEvent, toEnvelope, toEventData, type PreparedEvent } from './serialization';
import { CatchUpSubscription, type AllSubscription, type SubscribeToAllOptions } from './subscription';
import { UpcasterRegistry } from './upcasters';

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
 * Our only door to EventStoreDB. Speaks in envelopes, bigints and our own errors, so
 * nothing else in the system depends on the client library.
 */
export class EventStore {
  private readonly client: EventStoreDBClient;
  private readonly upcasters: UpcasterRegistry;
  private readonly pingTimeoutMs: number;
  private readonly subscriptions = new Set<CatchUpSubscription>();
  private closing: Promise<void> | undefined;

  constructor(options: EventStoreOptions) {
    this.client = EventStoreDBClient.connectionString(options.connectionString);
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
   * Reads one stream. Iterate it to the end, or break out early: the read is cancelled
   * either way.
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
      yield* this.envelopes(read, registry, streamName);
    } catch (error) {
      if (error instanceof StreamNotFoundError && (options.ifMissing ?? 'empty') === 'empty') return;
      throw error;
    }
  }

  /** Reads the whole log in order, without system events. */
  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<RecordedEnvelope, void, undefined> {
    this.assertOpen();
    const direction = options.direction ?? 'forwards';
    const from = options.from ?? (direction === 'forwards' ? 'start' : 'end');
    const registry = options.upcast === false ? undefined : this.upcasters;
    const maxCount = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (maxCount <= 0) return;
    // System events are dropped here, so maxCount cannot go to the server: it would count them.
    const read = this.client.readAll({
      fromPosition: toReadPosition(from),
      direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
    });
    let count = 0;
    for await (const envelope of this.envelopes(read, registry)) {
      yield envelope;
      if (++count >= maxCount) return;
    }
  }

  subscribeToAll(options: SubscribeToAllOptions): AllSubscription {
    this.assertOpen();
    const subscription = new CatchUpSubscription(
      {
        open: (from, filter) => this.client.subscribeToAll({ fromPosition: from === 'start' ? START : from, filter }),
        logEnd: () => this.lastLogPosition(),
        toEnvelope: (recorded, upcast, commitPosition) =>
          toEnvelope(recorded, upcast ? this.upcasters : undefined, commitPosition),
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

  /** Stops every subscription, then releases the connection. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
      await this.client.dispose();
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
  ): AsyncGenerator<RecordedEnvelope, void, undefined> {
    for await (const resolved of this.resolvedEvents(read as StreamingRead<ResolvedEvent>, streamName)) {
      const recorded = resolved.event;
      if (!recorded || isSystemEventType(recorded.type)) continue;
      yield toEnvelope(recorded, registry, resolved.commitPosition);
    }
  }

  /** Every read of the client goes through here: errors become ours, and leaving early cancels the call. */
  private async *resolvedEvents<E>(read: StreamingRead<E>, streamName?: string): AsyncGenerator<E, void, undefined> {
    let finished = false;
    try {
      for await (const resolved of read) yield resolved;
      finished = true;
    } catch (error) {
      finished = true;
      throw fromClientError(error, streamName);
    } finally {
      // A read abandoned half-way leaves the call's stream paused with data in it, which
      // would keep the process alive and make client.dispose() wait forever.
      if (!finished) await read.cancel().catch(() => undefined);
    }
  }

  private assertOpen(): void {
    if (this.closing) throw new EventStoreUnavailableError('This EventStore has been closed');
  }
}

function toReadPosition(from: Position | 'start' | 'end'): ReadPosition {
  if (from === 'start') return START;
  if (from === 'end') return END;
  return from;
}
