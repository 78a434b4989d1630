import type { Position, RecordedEnvelope } from '@revops/event-store';
import { laterOf } from './positions';

export interface BatchLimits {
  /** A batch closes when it holds this many events… */
  maxBatchSize: number;
  /**
   * …or this many while the subscription is still reading history (before its first caught-up
   * marker): fewer, larger transactions rebuild faster, and nobody waits on each one yet.
   * Defaults to maxBatchSize.
   */
  catchUpBatchSize?: number;
  /** …or this long after its first event arrived, whichever comes first. */
  maxBatchWaitMs: number;
  /**
   * …or this long while the subscription is still reading history: a consumer quicker than the
   * read (which goes at the pace of its slowest consumer) would otherwise commit whatever
   * arrived during its last batch, many small transactions. Defaults to maxBatchWaitMs.
   */
  catchUpBatchWaitMs?: number;
  /** Events held before the subscription is made to wait: the backpressure on reading `$all`. */
  capacity: number;
}

export interface Batch {
  /** In `$all` order. */
  readonly events: readonly RecordedEnvelope[];
  /**
   * What to store as the checkpoint once the batch is applied: its last event, or a later
   * position the subscription reported as fully handled (events the filter dropped), or null
   * when there is neither.
   */
  readonly checkpoint: Position | null;
  /** The subscription reached the end of `$all` right after this batch. */
  readonly caughtUp: boolean;
}

export type Taken =
  | { readonly kind: 'batch'; readonly batch: Batch }
  /** Nothing arrived within the idle timeout. */
  | { readonly kind: 'idle' }
  /** Closed and drained; `error` when the producer failed. */
  | { readonly kind: 'closed'; readonly error?: Error };

type Item =
  | { kind: 'event'; event: RecordedEnvelope; arrivedAt: number }
  | { kind: 'checkpoint'; position: Position }
  | { kind: 'caughtUp' };

/**
 * Between the subscription (one producer, which waits when the queue is full) and the batch
 * loop (one consumer). Events and the subscription's markers stay in one ordered queue, so
 * a checkpoint is never stored before the events that precede it are applied.
 */
export class BatchQueue {
  private readonly items: Item[] = [];
  private queuedEvents = 0;
  private closed = false;
  private closeError: Error | undefined;
  private consumerWake: (() => void) | undefined;
  private readonly producerWakes: Array<() => void> = [];
  private live = false;

  constructor(
    private readonly limits: BatchLimits,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(limits.maxBatchSize) || limits.maxBatchSize < 1) {
      throw new RangeError('maxBatchSize must be a positive integer');
    }
    const catchUp = limits.catchUpBatchSize ?? limits.maxBatchSize;
    if (!Number.isInteger(catchUp) || catchUp < 1) throw new RangeError('catchUpBatchSize must be a positive integer');
    if (limits.capacity < Math.max(limits.maxBatchSize, catchUp)) throw new RangeError('capacity must hold at least one full batch');
  }

  get size(): number {
    return this.queuedEvents;
  }

  /**
   * Queues the event: true once queued, false when the queue is closed (dropped). With room
   * in the queue that is known at once; when it is full, a promise settles it once the batch
   * loop has taken enough or the queue closes.
   */
  push(event: RecordedEnvelope): boolean | Promise<boolean> {
    if (this.closed) return false;
    if (this.queuedEvents >= this.limits.capacity) return this.pushWhenRoom(event);
    this.enqueue(event);
    return true;
  }

  private async pushWhenRoom(event: RecordedEnvelope): Promise<boolean> {
    while (!this.closed && this.queuedEvents >= this.limits.capacity) {
      await new Promise<void>((resolve) => this.producerWakes.push(resolve));
    }
    if (this.closed) return false;
    this.enqueue(event);
    return true;
  }

  private enqueue(event: RecordedEnvelope): void {
    this.items.push({ kind: 'event', event, arrivedAt: this.now() });
    this.queuedEvents++;
    this.wakeConsumer();
  }

  checkpoint(position: Position): void {
    if (this.closed) return;
    this.items.push({ kind: 'checkpoint', position });
    this.wakeConsumer();
  }

  caughtUp(): void {
    if (this.closed) return;
    this.items.push({ kind: 'caughtUp' });
    this.wakeConsumer();
  }

  /** Refuses new items and releases a waiting producer; what is queued can still be taken. */
  close(error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.closeError = error;
    this.wakeConsumer();
    for (const wake of this.producerWakes.splice(0)) wake();
  }

  /** Drops what is queued (it was never applied, so it is read again after a restart). */
  discard(): void {
    this.items.length = 0;
    this.queuedEvents = 0;
    for (const wake of this.producerWakes.splice(0)) wake();
  }

  /**
   * Waits up to `idleMs` for something to arrive, then collects a batch: up to
   * `maxBatchSize` events (`catchUpBatchSize` before the first caught-up marker), closed
   * early by a caught-up marker or by `maxBatchWaitMs` (`catchUpBatchWaitMs`) after its first event.
   */
  async take(idleMs: number): Promise<Taken> {
    if (this.items.length === 0) {
      if (this.closed) return this.closedResult();
      await this.waitForItems(idleMs);
      if (this.items.length === 0) return this.closed ? this.closedResult() : { kind: 'idle' };
    }
    const events: RecordedEnvelope[] = [];
    let checkpoint: Position | null = null;
    let caughtUp = false;
    let firstArrival: number | undefined;
    const { limits } = this;
    const size = this.live ? limits.maxBatchSize : (limits.catchUpBatchSize ?? limits.maxBatchSize);
    const wait = this.live ? limits.maxBatchWaitMs : (limits.catchUpBatchWaitMs ?? limits.maxBatchWaitMs);
    for (;;) {
      while (this.items.length > 0 && events.length < size && !caughtUp) {
        const item = this.items.shift() as Item;
        if (item.kind === 'event') {
          events.push(item.event);
          firstArrival ??= item.arrivedAt;
          checkpoint = laterOf(checkpoint, item.event.position);
          this.queuedEvents--;
          this.producerWakes.shift()?.();
        } else if (item.kind === 'checkpoint') {
          checkpoint = laterOf(checkpoint, item.position);
        } else {
          caughtUp = true;
          this.live = true;
        }
      }
      if (events.length === 0 || events.length >= size || caughtUp || this.closed) break;
      const remaining = (firstArrival as number) + wait - this.now();
      if (remaining <= 0) break;
      if (this.items.length === 0) await this.waitForItems(remaining);
    }
    return { kind: 'batch', batch: { events, checkpoint, caughtUp } };
  }

  private closedResult(): Taken {
    return this.closeError ? { kind: 'closed', error: this.closeError } : { kind: 'closed' };
  }

  private waitForItems(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.consumerWake === done) this.consumerWake = undefined;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.consumerWake = done;
    });
  }

  private wakeConsumer(): void {
    this.consumerWake?.();
  }
}
