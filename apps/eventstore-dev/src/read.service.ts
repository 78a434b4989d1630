import type { ServerWritableStream } from '@grpc/grpc-js';
import { writeWithBackpressure } from './backpressure';
import { BadRequestError, StreamDeletedError } from './errors';
import { toCallError } from './error-responses';
import { toEventFilter, type EventFilter } from './event-filter';
import { streams } from './protocol';
import { toStreamName } from './proposed-events';
import { encodeEventResponse } from './event-response';
import { streamNotFoundMessage } from './read-messages';
import type { DevEventStore } from './store';

/** Events go out pre-encoded (see event-response.ts), everything else as messages. */
export type ReadCall = ServerWritableStream<streams.ReadReq, streams.ReadResp | Buffer>;

interface ReadRange {
  backwards: boolean;
  count: number;
  resolveLinks: boolean;
}

/** Events to send before letting other calls run. */
const READ_SLICE = 256;

export class ReadService {
  constructor(private readonly store: DevEventStore) {}

  /** A plain read (not a subscription) of one stream or of `$all`. */
  async read(call: ReadCall, options: streams.ReadReq.Options): Promise<void> {
    const backwards = options.getReadDirection() === streams.ReadReq.Options.ReadDirection.BACKWARDS;
    const range: ReadRange = { backwards, count: toCount(options), resolveLinks: options.getResolveLinks() };
    if (options.hasStream()) await this.readStream(call, options.getStream()!, range);
    else if (options.hasAll()) await this.readAll(call, options.getAll()!, range, toEventFilter(options));
    else throw new BadRequestError('A read needs a stream or $all');
    if (!isGone(call)) call.end();
  }

  private async readStream(
    call: ReadCall,
    options: streams.ReadReq.Options.StreamOptions,
    { backwards, count, resolveLinks }: ReadRange,
  ): Promise<void> {
    const { name, bytes } = toStreamName(options.getStreamIdentifier());
    const view = this.store.readView(name);
    if (view.kind === 'deleted') throw new StreamDeletedError(name);
    if (view.kind === 'not_found') {
      call.write(streamNotFoundMessage(bytes));
      return;
    }
    const { stream, firstRevision, lastRevision, maxAgeSeconds } = view;
    const oldestCreatedMs = maxAgeSeconds === undefined ? -Infinity : Date.now() - maxAgeSeconds * 1000;
    const step = backwards ? -1 : 1;
    let revision: number;
    if (options.hasRevision()) revision = Number(options.getRevision());
    else if (options.hasEnd()) revision = backwards ? lastRevision : lastRevision + 1;
    else revision = backwards ? 0 : firstRevision;
    if (backwards) revision = Math.min(revision, lastRevision);
    else revision = Math.max(revision, firstRevision);

    let remaining = count;
    while (remaining > 0 && revision >= firstRevision && revision <= lastRevision && !isGone(call)) {
      for (let sent = 0; sent < READ_SLICE && remaining > 0 && revision >= firstRevision && revision <= lastRevision; ) {
        const logIndex = stream.events[revision];
        revision += step;
        if (this.store.log.recordAt(logIndex).createdMs < oldestCreatedMs) continue;
        remaining -= 1;
        sent += 1;
        const drained = writeWithBackpressure(call, encodeEventResponse(this.store, logIndex, resolveLinks));
        if (drained) await drained;
        if (isGone(call)) return;
      }
      await yieldToOtherCalls();
    }
  }

  private async readAll(
    call: ReadCall,
    options: streams.ReadReq.Options.AllOptions,
    { backwards, count, resolveLinks }: ReadRange,
    filter: EventFilter | undefined,
  ): Promise<void> {
    const { log } = this.store;
    const end = this.store.durableCount;
    let index: number;
    if (options.hasPosition()) {
      // Forwards includes the event at the position; backwards stops before it.
      const position = Number(options.getPosition()!.getCommitPosition());
      index = log.firstAtOrAfter(position, end) - (backwards ? 1 : 0);
    } else if (options.hasEnd()) {
      index = backwards ? end - 1 : end;
    } else {
      index = backwards ? -1 : 0;
    }
    const step = backwards ? -1 : 1;
    let remaining = count;
    while (remaining > 0 && index >= 0 && index < end && !isGone(call)) {
      for (let scanned = 0; scanned < READ_SLICE && remaining > 0 && index >= 0 && index < end; scanned += 1) {
        const logIndex = index;
        index += step;
        if (filter && !this.matches(filter, logIndex)) continue;
        remaining -= 1;
        const drained = writeWithBackpressure(call, encodeEventResponse(this.store, logIndex, resolveLinks));
        if (drained) await drained;
        if (isGone(call)) return;
      }
      await yieldToOtherCalls();
    }
  }

  private matches(filter: EventFilter, logIndex: number): boolean {
    const stream = this.store.streamByNumber(this.store.log.streamNumberAt(logIndex));
    return filter.matches(stream.name, () => this.store.log.recordAt(logIndex).type);
  }
}

export function isGone(call: ReadCall): boolean {
  return call.cancelled || call.destroyed || call.writableEnded;
}

export function yieldToOtherCalls(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function failCall(call: ReadCall, error: unknown): void {
  if (!isGone(call)) call.emit('error', toCallError(error));
}

function toCount(options: streams.ReadReq.Options): number {
  if (!options.hasCount()) return Number.MAX_SAFE_INTEGER;
  const count = Number(options.getCount());
  return Number.isFinite(count) && count >= 0 ? count : Number.MAX_SAFE_INTEGER;
}
