import { metadataFrom, type CommandContext, type EventMetadata, type Position, type RecordedEnvelope } from './envelope';
import { ConcurrencyConflictError } from './errors';
import { chainEvents } from './hash-chain';
import { prepareEvent, type PreparedEvent } from './serialization';

/** A domain event as deciders see it: plain type and data, no storage concerns. */
export interface DomainEvent {
  type: string;
  data: unknown;
}

/** Pure decision logic of one aggregate, in the shape `libs/domain` provides. */
export interface Decider<State, Command, Event extends DomainEvent> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  /** Returns the events the command causes, or throws a domain error. */
  decide(command: Command, state: State): readonly Event[];
}

export interface HandleOptions {
  /** How often to reload and decide again after another writer got there first (default 3). */
  maxRetries?: number;
}

export interface HandledEvent<Event extends DomainEvent = DomainEvent> {
  eventId: string;
  type: Event['type'];
  data: Event['data'];
  metadata: EventMetadata;
  streamName: string;
  revision: bigint;
}

export interface HandleResult<State, Event extends DomainEvent = DomainEvent> {
  streamName: string;
  /** What was appended; empty when the command changed nothing. */
  events: HandledEvent<Event>[];
  /** The stream's revision after the command: 'no_stream' if it still has no events. */
  nextExpectedRevision: bigint | 'no_stream';
  /**
   * Commit position of the write, for read-your-writes; when nothing was written, the
   * position of the stream's last event (null for an empty stream).
   */
  position: Position | null;
  /** State after the command's events. */
  state: State;
}

/** The store operations `handle` needs. */
export interface CommandStore {
  /** The stream's events upcast to their current shape; a missing stream reads as empty. */
  loadStream(streamName: string): AsyncIterable<RecordedEnvelope>;
  schemaVersionOf(type: string): number;
  appendPrepared(
    streamName: string,
    events: readonly PreparedEvent[],
    expectedRevision: bigint | 'no_stream',
  ): Promise<{ nextExpectedRevision: bigint; position: Position }>;
}

export const DEFAULT_MAX_RETRIES = 3;

/** Reloads while a conflict's reported revision is not yet readable; 5 ms, 10 ms, … ≈ 0.3 s in all. */
const STALE_READ_WAITS = 10;

/**
 * Read the stream, fold it, decide, append with the revision that was read. When another
 * writer appended in between, the decision was taken on stale state: reload and decide
 * again, up to `maxRetries` times. Domain errors from `decide` propagate as they are, and
 * nothing is written.
 *
 * Every appended event extends the stream's hash chain (see `hash-chain.ts`).
 */
export async function handleCommand<State, Command, Event extends DomainEvent>(
  store: CommandStore,
  streamName: string,
  decider: Decider<State, Command, Event>,
  command: Command,
  context: CommandContext,
  options: HandleOptions = {},
): Promise<HandleResult<State, Event>> {
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new RangeError('maxRetries must be a non-negative integer');
  const metadata = metadataFrom(context);
  // The revision a conflict reported: the next load must reach it, or it decides on the same stale state.
  let reportedRevision: bigint | undefined;

  for (let attempt = 1; ; attempt++) {
    let { state, last } = await load(store, streamName, decider);
    for (let wait = 1; reportedRevision !== undefined && revisionOf(last) < reportedRevision && wait <= STALE_READ_WAITS; wait++) {
      // A store may report a conflicting write a moment before it shows it to readers.
      await sleep(wait * 5);
      ({ state, last } = await load(store, streamName, decider));
    }
    const expectedRevision = last ? last.revision : 'no_stream';

    const decided = decider.decide(command, state);
    if (decided.length === 0) {
      return { streamName, events: [], nextExpectedRevision: expectedRevision, position: last?.position ?? null, state };
    }

    const prepared = chainEvents(
      streamName,
      decided.map((event) => prepareEvent({ type: event.type, data: event.data, metadata }, (type) => store.schemaVersionOf(type))),
      last?.metadata.hash ?? null,
    );
    try {
      const written = await store.appendPrepared(streamName, prepared, expectedRevision);
      const firstRevision = written.nextExpectedRevision - BigInt(prepared.length - 1);
      return {
        streamName,
        events: prepared.map((event, index) => ({
          eventId: event.eventId,
          type: event.type,
          data: event.data as Event['data'],
          metadata: event.metadata,
          streamName,
          revision: firstRevision + BigInt(index),
        })),
        nextExpectedRevision: written.nextExpectedRevision,
        position: written.position,
        state: decided.reduce((current, event) => decider.evolve(current, event), state),
      };
    } catch (error) {
      if (!(error instanceof ConcurrencyConflictError)) throw error;
      reportedRevision = typeof error.actualRevision === 'bigint' ? error.actualRevision : undefined;
      if (attempt > maxRetries) {
        throw new ConcurrencyConflictError(streamName, String(expectedRevision), error.actualRevision, {
          attempts: attempt,
          cause: error,
        });
      }
    }
  }
}

async function load<State, Command, Event extends DomainEvent>(
  store: CommandStore,
  streamName: string,
  decider: Decider<State, Command, Event>,
): Promise<{ state: State; last: RecordedEnvelope | undefined }> {
  let state = decider.initialState();
  let last: RecordedEnvelope | undefined;
  for await (const envelope of store.loadStream(streamName)) {
    state = decider.evolve(state, { type: envelope.type, data: envelope.data } as Event);
    last = envelope;
  }
  return { state, last };
}

function revisionOf(last: RecordedEnvelope | undefined): bigint {
  return last ? last.revision : -1n;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
