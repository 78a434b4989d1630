import { Inject, Injectable, Logger } from '@nestjs/common';
import type { TouchpointRecorded } from '@revops/domain';
import { comparePositions, EventStore, type Position, EventStoreUnavailableError, type NewEvent } from '@revops/event-store';
import { validateTouchpoint } from '../dto/validate-touchpoint';
import { forEachConcurrently } from '@revops/platform';
import type { IngestionContext } from './ingestion-context';
import { describeBytes, ingestionLimits } from './ingestion-limits';
import type { BatchEntry, RejectedTouchpoint, TouchpointBatchResult, TouchpointFieldError } from './touchpoint-batch';

/** What ingestion needs of the store: appends with caller-given event ids. */
export type TouchpointAppender = Pick<EventStore, 'append'>;

type TouchpointEvent = NewEvent<'TouchpointRecorded', TouchpointRecorded['data']>;

/** One touchpoint id of the batch, with every position that sent it. */
interface PendingTouch {
  event: TouchpointEvent;
  indexes: number[];
  failure?: TouchpointFieldError;
  /** Where the store holds it: where this append put it, or where an earlier one did. */
  position?: Position;
}

// Validating 1,000 touches takes tens of milliseconds of CPU. Done in one go it would hold
// up every other request and the appends already in flight; in slices, they go on between.
const VALIDATION_SLICE = 100;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Validates a batch item by item and appends what passes, grouped per journey stream.
 * The touchpoint id is the event id, so a batch sent twice, or twice at once, stores
 * each touchpoint once. No state is loaded: a touch needs nothing of the journey before it.
 */
@Injectable()
export class TouchpointIngestion {
  private readonly logger = new Logger(TouchpointIngestion.name);

  constructor(@Inject(EventStore) private readonly store: TouchpointAppender) {}

  async ingest(entries: readonly BatchEntry[], context: IngestionContext): Promise<TouchpointBatchResult> {
    const rejected: RejectedTouchpoint[] = [];
    const touches = new Map<string, PendingTouch>();
    const streams = new Map<string, PendingTouch[]>();

    for (const [position, entry] of entries.entries()) {
      if (position > 0 && position % VALIDATION_SLICE === 0) await yieldToEventLoop();
      if ('errors' in entry) {
        rejected.push(entry);
        continue;
      }
      const checked = this.check(entry.touchpoint, context);
      if ('errors' in checked) {
        rejected.push({ index: entry.index, errors: checked.errors });
        continue;
      }
      const { streamName, event } = checked;
      const id = event.data.touchpointId;
      const seen = touches.get(id);
      if (seen) {
        // The id is the idempotency key: a repeat within the batch is the same touch,
        // stored once, whatever else it says.
        seen.indexes.push(entry.index);
        continue;
      }
      const touch: PendingTouch = { event, indexes: [entry.index] };
      touches.set(id, touch);
      const stream = streams.get(streamName);
      if (stream) stream.push(touch);
      else streams.set(streamName, [touch]);
    }

    await forEachConcurrently([...streams], ingestionLimits.appendConcurrency, ([streamName, streamTouches]) =>
      this.appendInOrder(streamName, streamTouches),
    );

    const accepted: string[] = [];
    let highest: Position | undefined;
    for (const [id, { failure, indexes, position }] of touches) {
      if (failure) {
        rejected.push(...indexes.map((index) => ({ index, errors: [failure] })));
        continue;
      }
      accepted.push(id);
      if (position && (!highest || comparePositions(position, highest) > 0)) highest = position;
    }
    rejected.sort((a, b) => a.index - b.index);
    const position = highest ? { commit: String(highest.commit), prepare: String(highest.prepare) } : null;
    return { accepted, rejected, position };
  }

  private check(
    touchpoint: unknown,
    context: IngestionContext,
  ): { streamName: string; event: TouchpointEvent } | { errors: TouchpointFieldError[] } {
    const bytes = Buffer.byteLength(JSON.stringify(touchpoint) ?? '');
    if (bytes > ingestionLimits.maxItemBytes) {
      const limit = describeBytes(ingestionLimits.maxItemBytes);
      return { errors: [{ field: null, code: 'ITEM_TOO_LARGE', message: `A touchpoint may take at most ${limit} as JSON; this one takes ${bytes} bytes` }] };
    }
    const validation = validateTouchpoint(touchpoint, { source: context.integrationId ?? context.source });
    if (!validation.valid) return { errors: validation.errors };
    const { streamName, event } = validation.recorded;
    return {
      streamName,
      event: {
        type: event.type,
        data: event.data,
        eventId: event.data.touchpointId,
        metadata: {
          $correlationId: context.correlationId,
          $causationId: context.causationId,
          actor: { type: 'integration', id: context.integrationId ?? event.data.source },
          source: context.source,
          occurredAt: event.data.occurredAt,
        },
      },
    };
  }

  /**
   * One append per touch, in batch order. EventStoreDB recognises a repeated append by
   * its first event id only: an append whose first touch is new but whose later touches
   * were stored before would store those again. Alone in its append, every touch is
   * recognised, so a batch that overlaps an earlier one in any order stores each touch
   * once. Streams are appended concurrently; realistic traffic has about one touch per
   * person per batch, so this costs little.
   */
  private async appendInOrder(streamName: string, touches: PendingTouch[]): Promise<void> {
    for (const touch of touches) {
      try {
        ({ position: touch.position } = await this.store.append(streamName, [touch.event], { expectedRevision: 'any' }));
      } catch (error) {
        this.logger.error({ err: error, streamName, touchpointId: touch.event.eventId }, 'touchpoint append failed');
        touch.failure = storeFailure(error);
      }
    }
  }
}

function storeFailure(error: unknown): TouchpointFieldError {
  if (error instanceof EventStoreUnavailableError) {
    return {
      field: null,
      code: 'STORE_UNAVAILABLE',
      message: 'The event store could not be reached, so this touchpoint was not stored; sending it again is safe',
    };
  }
  return {
    field: null,
    code: 'STORE_FAILURE',
    message: 'The event store did not store this touchpoint; sending it again is safe',
  };
}
