import type { AllStreamRecordedEvent, AllStreamResolvedEvent } from '@eventstore/db-client';
import { backoffDelay, DEFAULT_RECONNECT_BACKOFF, type BackoffPolicy } from './backoff';
import { comparePositions, toPosition, type Position, type RecordedEnvelope } from './envelope';
import { DueAfterEvents } from './due-after-events';
import { EventStoreUnavailableError, fromClientError, isTransientStoreError } from './errors';
import { eventMatcher, validateFilter, type SubscriptionFilter } from './subscription-filter';

export type SubscriptionState = 'connecting' | 'catching_up' | 'live' | 'reconnecting' | 'stopped' | 'failed';

export interface ReconnectInfo {
  /** 1-based count of consecutive failed connections. */
  attempt: number;
  delayMs: number;
  error: Error;
}

export interface SubscribeToAllOptions {
  /**
   * Where to start: 'start' of the log, its current 'end' (new events only), or a
   * position already processed — delivery resumes strictly after it.
   */
  from: Position | 'start' | 'end';
  filter?: SubscriptionFilter;
  /** Awaited before the next event is read: a slow handler slows the subscription down. */
  handle(envelope: RecordedEnvelope): void | Promise<void>;
  /** Called each time the subscription has handled everything in the log, after (re)connecting. */
  onCaughtUp?(lastPosition: Position | null): void | Promise<void>;
  /**
   * The server has considered every event up to `position` (including ones the filter
   * dropped) and all matching ones before it have been handled. Store it to resume from it.
   */
  onCheckpoint?(position: Position): void | Promise<void>;
  onReconnecting?(info: ReconnectInfo): void;
  /** The subscription stopped for good: a handler threw, or the store cannot be reached within `maxAttempts`. */
  onError?(error: Error): void;
  reconnect?: Partial<BackoffPolicy> & { maxAttempts?: number };
  /** Checkpoint every `checkpointInterval` × 32 considered events (the server's search window). */
  checkpointInterval?: number;
  /** Upcast `data` to the current schema (default true). */
  upcast?: boolean;
  /**
   * Receive and decode events on a worker thread of their own, handed over in batches
   * (default false). For long catch-ups: decoding is most of what reading costs, and it
   * then no longer takes time from the handler's thread. Handling order, checkpoints and
   * reconnects are the same either way.
   */
  readOffThread?: boolean;
}

/**
 * A running catch-up subscription to `$all`.
 *
 * Delivery is at-least-once across process restarts and exactly-once within one
 * subscription's life: on a dropped connection it resumes right after the last handled
 * event, so nothing is lost or repeated. Exactly-once *effects* are the consumer's job:
 * store the position of each handled event (or each checkpoint) in the same transaction
 * as the writes it caused, and subscribe from it after a restart.
 */
export interface AllSubscription {
  readonly state: SubscriptionState;
  /** True while a server connection delivers events (catching up or live). */
  readonly connected: boolean;
  /** Position of the last event handled (or passed over by the filter), null before the first. */
  readonly lastPosition: Position | null;
  readonly lastCheckpoint: Position | null;
  /** Reconnections so far (the store went away and came back, or was retried). */
  readonly reconnects: number;
  /** Why the subscription failed, when `state` is 'failed'. */
  readonly error: Error | undefined;
  /** Settles when the subscription ends: resolves after stop(), rejects when it fails. */
  readonly closed: Promise<void>;
  /** Lets a handler in progress finish, then disconnects. Resolves once nothing runs any more. */
  stop(): Promise<void>;
}

/**
 * An event of a connection: as the client resolved it, or as an envelope with `data` as
 * stored (a read on another thread makes those).
 */
export type StreamItem = AllStreamResolvedEvent | RecordedEnvelope;

/**
 * One connection's events as the client's subscription stream hands them over. It reports
 * a checkpoint or the end of the log while events before it may still wait in its buffer.
 */
export interface ResolvedEventStream {
  /** Events received and not yet read. */
  readonly readableLength: number;
  read(): StreamItem | null;
  on(event: 'readable' | 'end' | 'close' | 'confirmation' | 'caughtUp', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeAllListeners(event: 'error'): unknown;
  unsubscribe(): Promise<void>;
  destroy(): unknown;
}

export interface OpenOptions {
  filter: SubscriptionFilter | undefined;
  checkpointInterval: number;
  /** The store has considered everything up to `position`; reported in order with the events. */
  checkpointReached(position: Position): Promise<void>;
  readOffThread: boolean;
}

/** What the subscription needs from the store, kept narrow so the loop stays about ordering. */
export interface SubscriptionDriver {
  open(from: Position | 'start', options: OpenOptions): ResolvedEventStream;
  /** Position of the very last record in `$all`, system records included; null on an empty log. */
  logEnd(): Promise<Position | null>;
  /** The item's envelope, `data` upcast where `upcast` asks for it. */
  toEnvelope(item: RecordedItem, upcast: boolean): RecordedEnvelope;
}

/** A stream item that holds a recorded event. */
export type RecordedItem = (AllStreamResolvedEvent & { event: AllStreamRecordedEvent }) | RecordedEnvelope;

/** Thrown by the consumer's callbacks: never retried, the subscription fails with it. */
class ConsumerFailure {
  constructor(readonly error: Error) {}
}

type Marker = { kind: 'checkpoint'; position: Position; release(): void } | { kind: 'caughtUp' };

/** Wakes the read loop; remembers a wake-up that arrives while nobody waits. */
class Signal {
  private pending = false;
  private waiter: (() => void) | undefined;

  notify(): void {
    this.pending = true;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  async wait(): Promise<void> {
    if (!this.pending) await new Promise<void>((resolve) => (this.waiter = resolve));
    this.pending = false;
  }
}

/** One server connection's bookkeeping. */
interface Connection {
  sub: ResolvedEventStream;
  signal: Signal;
  /** Events taken from the client's buffer, and events fully handled. */
  consumed: number;
  processed: number;
  markers: DueAfterEvents<Marker>;
  ended: boolean;
  error: unknown;
  confirmed: boolean;
}

export class CatchUpSubscription implements AllSubscription {
  private currentState: SubscriptionState = 'connecting';
  private handledPosition: Position | null = null;
  private checkpointPosition: Position | null = null;
  private failure: Error | undefined;
  private reconnectCount = 0;
  private stopping = false;
  private connection: Connection | undefined;
  private cancelSleep: (() => void) | undefined;
  private resolvedEnd: Position | 'start' | undefined;
  private readonly matches: (streamName: string, type: string) => boolean;
  private readonly backoff: BackoffPolicy;
  private readonly maxAttempts: number;
  private readonly running: Promise<void>;
  readonly closed: Promise<void>;

  constructor(
    private readonly driver: SubscriptionDriver,
    private readonly options: SubscribeToAllOptions,
    private readonly onEnded: (subscription: CatchUpSubscription) => void = () => undefined,
  ) {
    validateFilter(options.filter);
    const interval = options.checkpointInterval ?? 1;
    if (!Number.isInteger(interval) || interval < 1) throw new RangeError('checkpointInterval must be a positive integer');
    this.matches = eventMatcher(options.filter);
    const { maxAttempts = Number.POSITIVE_INFINITY, ...backoff } = options.reconnect ?? {};
    this.backoff = { ...DEFAULT_RECONNECT_BACKOFF, ...backoff };
    this.maxAttempts = maxAttempts;
    this.running = this.run();
    this.closed = this.running.then(() => {
      if (this.failure) throw this.failure;
    });
    // Observed here so an unobserved failure does not crash the process; awaiting
    // `closed` still rejects.
    this.closed.catch(() => undefined);
  }

  get state(): SubscriptionState {
    return this.currentState;
  }

  get connected(): boolean {
    return this.currentState === 'catching_up' || this.currentState === 'live';
  }

  get lastPosition(): Position | null {
    return this.handledPosition;
  }

  get lastCheckpoint(): Position | null {
    return this.checkpointPosition;
  }

  get reconnects(): number {
    return this.reconnectCount;
  }

  get error(): Error | undefined {
    return this.failure;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.cancelSleep?.();
    this.connection?.signal.notify();
    await this.running;
  }

  private async run(): Promise<void> {
    let failedAttempts = 0;
    try {
      while (!this.stopping) {
        let connectionError: Error;
        const connection = await this.connect().catch((error: unknown) => error);
        if (!isConnection(connection)) {
          connectionError = asError(fromClientError(connection));
        } else {
          this.connection = connection;
          try {
            await this.consume(connection);
            if (this.stopping) return;
            connectionError = new EventStoreUnavailableError('The event store ended the subscription');
          } catch (error) {
            if (error instanceof ConsumerFailure) return this.fail(error.error);
            connectionError = asError(fromClientError(error));
          } finally {
            this.connection = undefined;
            await this.disconnect(connection);
          }
          if (connection.confirmed) failedAttempts = 0;
        }
        if (this.stopping) return;
        if (!isTransientStoreError(connectionError)) return this.fail(connectionError);
        failedAttempts++;
        if (failedAttempts > this.maxAttempts) {
          return this.fail(
            new EventStoreUnavailableError(`Subscription gave up after ${this.maxAttempts} reconnect attempts`, {
              cause: connectionError,
            }),
          );
        }
        const delayMs = backoffDelay(failedAttempts, this.backoff);
        this.currentState = 'reconnecting';
        this.options.onReconnecting?.({ attempt: failedAttempts, delayMs, error: connectionError });
        await this.sleep(delayMs);
        if (this.stopping) return;
        this.reconnectCount++;
        this.currentState = 'connecting';
      }
    } catch (error) {
      // Only the consumer's own hooks can get here (e.g. onReconnecting threw); stop() must still resolve.
      this.fail(asError(error));
    } finally {
      if (this.currentState !== 'failed') this.currentState = 'stopped';
      this.onEnded(this);
    }
  }

  private fail(error: Error): void {
    this.failure = error;
    this.currentState = 'failed';
    this.options.onError?.(error);
  }

  private async connect(): Promise<Connection> {
    const from = this.handledPosition ?? (await this.startPosition());
    const markers = new DueAfterEvents<Marker>();
    const signal = new Signal();
    // The client calls this from inside its read buffer's transform and waits for it,
    // possibly while earlier events still sit unread in that buffer. Those must be
    // handled before the checkpoint is reported, hence a marker the read loop honours
    // in order.
    const checkpointReached = (position: Position): Promise<void> =>
      new Promise<void>((release) => {
        markers.add(this.pendingCount(connection), { kind: 'checkpoint', position: toPosition(position), release });
        signal.notify();
      });
    const sub = this.driver.open(from, {
      filter: this.options.filter,
      checkpointInterval: this.options.checkpointInterval ?? 1,
      checkpointReached,
      readOffThread: this.options.readOffThread ?? false,
    });
    const connection: Connection = { sub, signal, markers, consumed: 0, processed: 0, ended: false, error: undefined, confirmed: false };
    const wake = () => connection.signal.notify();
    sub.on('readable', wake);
    sub.on('end', () => {
      connection.ended = true;
      wake();
    });
    sub.on('close', () => {
      connection.ended = true;
      wake();
    });
    sub.on('error', (error: Error) => {
      connection.error ??= error;
      wake();
    });
    sub.on('confirmation', () => {
      connection.confirmed = true;
      if (this.currentState === 'connecting') this.currentState = 'catching_up';
    });
    sub.on('caughtUp', () => {
      connection.markers.add(this.pendingCount(connection), { kind: 'caughtUp' });
      wake();
    });
    return connection;
  }

  /** Events received so far on this connection: handled, in hand, or still buffered. */
  private pendingCount(connection: Connection): number {
    // The client emits from inside read() before handing over the chunk it is about to
    // return, so that chunk is still counted in the buffer length here.
    return connection.consumed + connection.sub.readableLength;
  }

  private async startPosition(): Promise<Position | 'start'> {
    const { from } = this.options;
    if (from !== 'end') return from;
    // 'end' is pinned to a concrete position once, so a reconnect before the first event
    // does not skip what was appended while the store was away.
    this.resolvedEnd ??= (await this.driver.logEnd().catch((error: unknown) => Promise.reject(fromClientError(error)))) ?? 'start';
    return this.resolvedEnd;
  }

  private async consume(connection: Connection): Promise<void> {
    const { sub } = connection;
    for (;;) {
      if (this.stopping) return;
      if (markerDue(connection)) {
        await this.runDueMarkers(connection);
        if (this.stopping) return;
      }
      if (connection.error !== undefined) throw connection.error;
      const item = sub.read();
      if (item !== null) {
        connection.consumed++;
        connection.confirmed = true;
        if (this.currentState === 'connecting') this.currentState = 'catching_up';
        // Awaited only when the handler is still at work: most events are handled at once
        // during a catch-up, and a microtask turn per event adds up over millions.
        const handling = this.process(item);
        if (handling !== undefined) await handling;
        connection.processed++;
        continue;
      }
      if (connection.ended) return;
      await connection.signal.wait();
    }
  }

  /** Hands one event to the consumer: a promise while the handler is still at work, else nothing. */
  private process(item: StreamItem): Promise<void> | undefined {
    if (isEnvelope(item)) {
      if (!this.matches(item.streamName, item.type)) {
        this.handledPosition = item.position;
        return undefined;
      }
    } else {
      const recorded = item.event;
      if (!recorded) return undefined;
      if (!this.matches(recorded.streamId, recorded.type)) {
        this.handledPosition = toPosition(recorded.position);
        return undefined;
      }
    }
    let handling: void | Promise<void>;
    let envelope: RecordedEnvelope;
    try {
      envelope = this.driver.toEnvelope(item as RecordedItem, this.options.upcast ?? true);
      handling = this.options.handle(envelope);
    } catch (error) {
      throw new ConsumerFailure(asError(error));
    }
    if (handling === undefined) {
      this.handledPosition = envelope.position;
      return undefined;
    }
    return handling.then(
      () => {
        this.handledPosition = envelope.position;
      },
      (error: unknown) => {
        throw new ConsumerFailure(asError(error));
      },
    );
  }

  private async runDueMarkers(connection: Connection): Promise<void> {
    while (markerDue(connection)) {
      const marker = connection.markers.take();
      try {
        if (marker.kind === 'checkpoint') {
          const previous = this.checkpointPosition;
          // After a reconnect the server may repeat checkpoints already reported.
          if (previous === null || comparePositions(marker.position, previous) > 0) {
            this.checkpointPosition = marker.position;
            await this.options.onCheckpoint?.(marker.position);
          }
        } else {
          this.currentState = 'live';
          await this.options.onCaughtUp?.(this.handledPosition);
        }
      } catch (error) {
        throw new ConsumerFailure(asError(error));
      } finally {
        if (marker.kind === 'checkpoint') marker.release();
      }
    }
  }

  private async disconnect(connection: Connection): Promise<void> {
    for (const marker of connection.markers.drain()) if (marker.kind === 'checkpoint') marker.release();
    const { sub } = connection;
    // The cancelled call may still report late errors; they no longer matter.
    sub.removeAllListeners('error');
    sub.on('error', () => undefined);
    await sub.unsubscribe().catch(() => undefined);
    sub.destroy();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.cancelSleep = done;
    }).finally(() => {
      this.cancelSleep = undefined;
    });
  }
}

export function isEnvelope(item: StreamItem): item is RecordedEnvelope {
  return (item as Partial<RecordedEnvelope>).eventId !== undefined;
}

function isConnection(value: unknown): value is Connection {
  return typeof value === 'object' && value !== null && 'signal' in value && 'sub' in value;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Whether the connection's next marker (a checkpoint, the end of the log) is due after the events processed. */
function markerDue(connection: Connection): boolean {
  return connection.markers.due(connection.processed);
}
