import { randomUUID } from 'node:crypto';
import { writeWithBackpressure } from './backpressure';
import { BadRequestError, StreamDeletedError } from './errors';
import { toEventFilter, type EventFilter } from './event-filter';
import { streams } from './protocol';
import { toStreamName } from './proposed-events';
import { isGone, yieldToOtherCalls, type ReadCall } from './read.service';
import { encodeEventResponse } from './event-response';
import { caughtUpMessage, checkpointMessage, confirmationMessage } from './read-messages';
import type { DevEventStore } from './store';


/** Events to send before letting other calls run. */
const DELIVERY_SLICE = 256;

/**
 * Catch-up subscriptions. Each one is a cursor that pulls from the log: it
 * registers for commit notifications before reading history, sends
 * everything after its start point, then caught_up, then sleeps until a
 * commit wakes it. Because history and live events come from the same
 * cursor there is no gap and no duplicate at the hand-over, and a slow
 * client only ever holds back its own cursor.
 */
export class SubscriptionService {
  constructor(private readonly store: DevEventStore) {}

  async subscribe(call: ReadCall, options: streams.ReadReq.Options): Promise<void> {
    if (options.getReadDirection() === streams.ReadReq.Options.ReadDirection.BACKWARDS) {
      throw new BadRequestError('Subscriptions can only read forwards');
    }
    if (options.hasStream()) {
      if (options.hasFilter()) throw new BadRequestError('A stream subscription cannot be filtered');
      await this.subscribeToStream(call, options.getStream()!, options.getResolveLinks());
    } else if (options.hasAll()) {
      await this.subscribeToAll(call, options.getAll()!, toEventFilter(options), options.getResolveLinks());
    } else {
      throw new BadRequestError('A subscription needs a stream or $all');
    }
  }

  private async subscribeToStream(
    call: ReadCall,
    options: streams.ReadReq.Options.StreamOptions,
    resolveLinks: boolean,
  ): Promise<void> {
    const { name } = toStreamName(options.getStreamIdentifier());
    const wakeUp = new WakeUp(call);
    const stopListening = this.store.onCommitted((first, count) => {
      const stream = this.store.findStream(name);
      if (!stream) return;
      for (let logIndex = first; logIndex < first + count; logIndex += 1) {
        if (this.store.log.streamNumberAt(logIndex) === stream.number) return wakeUp.signal();
      }
    });
    try {
      if (this.store.readView(name).kind === 'deleted') throw new StreamDeletedError(name);
      const existing = this.store.findStream(name);
      let nextRevision = 0;
      if (options.hasRevision()) nextRevision = Number(options.getRevision()) + 1;
      else if (options.hasEnd()) nextRevision = existing ? this.store.durableLastRevision(existing) + 1 : 0;

      call.write(confirmationMessage(randomUUID()));
      let caughtUp = false;
      while (!isGone(call)) {
        wakeUp.reset();
        const stream = this.store.findStream(name);
        if (stream) {
          const view = this.store.readView(name);
          const lastRevision = this.store.durableLastRevision(stream);
          // History honours the stream's metadata window, as a read would.
          if (view.kind === 'found') nextRevision = Math.max(nextRevision, view.firstRevision);
          else if (view.kind === 'not_found' && !caughtUp) nextRevision = Math.max(nextRevision, lastRevision + 1);
          const oldestCreatedMs =
            caughtUp || view.kind !== 'found' || view.maxAgeSeconds === undefined
              ? -Infinity
              : Date.now() - view.maxAgeSeconds * 1000;
          while (nextRevision <= lastRevision && !isGone(call)) {
            for (let sent = 0; sent < DELIVERY_SLICE && nextRevision <= lastRevision; sent += 1) {
              const logIndex = stream.events[nextRevision];
              nextRevision += 1;
              if (this.store.log.recordAt(logIndex).createdMs < oldestCreatedMs) continue;
              const drained = writeWithBackpressure(call, encodeEventResponse(this.store, logIndex, resolveLinks));
              if (drained) await drained;
              if (isGone(call)) return;
            }
            await yieldToOtherCalls();
          }
          if (view.kind === 'deleted') {
            // A stream tombstoned while subscribed: its $streamDeleted event, then the error.
            await writeWithBackpressure(call, encodeEventResponse(this.store, stream.tombstoneLogIndex, false));
            throw new StreamDeletedError(name);
          }
        }
        if (!caughtUp) {
          caughtUp = true;
          call.write(caughtUpMessage());
        }
        await wakeUp.wait();
      }
    } finally {
      stopListening();
    }
  }

  private async subscribeToAll(
    call: ReadCall,
    options: streams.ReadReq.Options.AllOptions,
    filter: EventFilter | undefined,
    resolveLinks: boolean,
  ): Promise<void> {
    const { log } = this.store;
    const wakeUp = new WakeUp(call);
    const stopListening = this.store.onCommitted(() => wakeUp.signal());
    try {
      let next = 0;
      if (options.hasEnd()) next = this.store.durableCount;
      else if (options.hasPosition()) {
        // Exclusive of the start position.
        next = log.firstAtOrAfter(Number(options.getPosition()!.getCommitPosition()) + 1, this.store.durableCount);
      }
      call.write(confirmationMessage(randomUUID()));

      let considered = 0;
      let lastCheckpoint = -1;
      const checkpoint = (position: number): Promise<void> | undefined => {
        if (position <= lastCheckpoint) return undefined;
        lastCheckpoint = position;
        return writeWithBackpressure(call, checkpointMessage(position));
      };

      let caughtUp = false;
      while (!isGone(call)) {
        wakeUp.reset();
        const end = this.store.durableCount;
        while (next < end && !isGone(call)) {
          for (let scanned = 0; scanned < DELIVERY_SLICE && next < end; scanned += 1) {
            const logIndex = next;
            next += 1;
            if (!filter || this.matches(filter, logIndex)) {
              const drained = writeWithBackpressure(call, encodeEventResponse(this.store, logIndex, resolveLinks));
              if (drained) await drained;
            }
            if (filter) {
              considered += 1;
              if (considered >= filter.checkpointInterval) {
                considered = 0;
                await checkpoint(log.positionAt(logIndex));
              }
            }
            if (isGone(call)) return;
          }
          await yieldToOtherCalls();
        }
        if (!caughtUp) {
          caughtUp = true;
          // A filtered subscription always checkpoints where its catch-up ended.
          if (filter && next > 0) {
            considered = 0;
            await checkpoint(log.positionAt(next - 1));
          }
          call.write(caughtUpMessage());
        }
        await wakeUp.wait();
      }
    } finally {
      stopListening();
    }
  }

  private matches(filter: EventFilter, logIndex: number): boolean {
    const stream = this.store.streamByNumber(this.store.log.streamNumberAt(logIndex));
    return filter.matches(stream.name, () => this.store.log.recordAt(logIndex).type);
  }
}

/** A one-slot latch: commits signal it; the cursor waits on it, or until the call ends. */
class WakeUp {
  private signalled = false;
  private release: (() => void) | undefined;

  constructor(call: ReadCall) {
    const end = (): void => this.signal();
    call.once('cancelled', end);
    call.once('close', end);
    call.once('error', end);
  }

  signal(): void {
    this.signalled = true;
    const release = this.release;
    this.release = undefined;
    release?.();
  }

  reset(): void {
    this.signalled = false;
  }

  wait(): Promise<void> {
    if (this.signalled) return Promise.resolve();
    return new Promise((resolve) => {
      this.release = resolve;
    });
  }
}
