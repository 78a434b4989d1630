import type { CommandContext, Position, RecordedEnvelope } from './envelope';
import { ConcurrencyConflictError } from './errors';
import { handleCommand, type CommandStore, type Decider } from './handle';
import { verifyChain } from './hash-chain';
import type { PreparedEvent } from './serialization';

type TallyEvent = { type: 'Added'; data: { by: number; total: number } } | { type: 'Closed'; data: Record<string, never> };
type TallyCommand = { type: 'Add'; by: number } | { type: 'Close' } | { type: 'Touch' };
interface TallyState {
  total: number;
  closed: boolean;
}

class TallyClosed extends Error {
  readonly code = 'TALLY_CLOSED';
}

const tally: Decider<TallyState, TallyCommand, TallyEvent> = {
  initialState: () => ({ total: 0, closed: false }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'Added':
        return { ...state, total: event.data.total };
      case 'Closed':
        return { ...state, closed: true };
    }
  },
  decide: (command, state) => {
    if (state.closed) throw new TallyClosed('The tally is closed');
    switch (command.type) {
      case 'Add':
        return [{ type: 'Added', data: { by: command.by, total: state.total + command.by } }];
      case 'Close':
        return [{ type: 'Closed', data: {} }];
      case 'Touch':
        return [];
    }
  },
};

const context: CommandContext = {
  correlationId: 'corr-1',
  causationId: 'cmd-1',
  actor: { type: 'user', id: 'u-1' },
  source: 'api',
  occurredAt: '2024-05-02T10:00:00Z',
};

/** Keeps streams in memory with the store's optimistic-concurrency rule. */
class InMemoryStreams implements CommandStore {
  readonly streams = new Map<string, RecordedEnvelope[]>();
  /** Writes another writer lands between the next read and the append that follows it. */
  readonly interleaved: Array<() => void> = [];
  /** Events at or after `from` stay out of the next `reads` loads, as in a store that acknowledges before readers see. */
  readonly lagging = new Map<string, { from: number; reads: number }>();
  private nextPosition = 100n;

  async *loadStream(streamName: string): AsyncIterable<RecordedEnvelope> {
    let events = [...(this.streams.get(streamName) ?? [])];
    const lag = this.lagging.get(streamName);
    if (lag && lag.reads > 0) {
      lag.reads--;
      events = events.slice(0, lag.from);
    }
    this.interleaved.shift()?.();
    yield* events;
  }

  schemaVersionOf(): number {
    return 1;
  }

  async appendPrepared(streamName: string, events: readonly PreparedEvent[], expectedRevision: bigint | 'no_stream') {
    const stream = this.streams.get(streamName) ?? [];
    const actual = stream.length === 0 ? 'no_stream' : BigInt(stream.length - 1);
    if (actual !== expectedRevision) throw new ConcurrencyConflictError(streamName, String(expectedRevision), actual);
    let position: Position = { commit: 0n, prepare: 0n };
    for (const event of events) {
      position = { commit: this.nextPosition, prepare: this.nextPosition };
      this.nextPosition += 10n;
      stream.push({ ...event, streamName, revision: BigInt(stream.length), position, recordedAt: new Date(0) });
    }
    this.streams.set(streamName, stream);
    return { nextExpectedRevision: BigInt(stream.length - 1), position };
  }

  /** An append by someone else, e.g. another API replica. */
  writeConcurrently(streamName: string, by: number): void {
    const stream = this.streams.get(streamName) ?? [];
    const total = stream.reduce((sum, event) => sum + ((event.data as { by?: number }).by ?? 0), 0) + by;
    void this.appendPrepared(
      streamName,
      [
        {
          eventId: `00000000-0000-4000-8000-${String(stream.length).padStart(12, '0')}`,
          type: 'Added',
          data: { by, total },
          metadata: { ...metadataOf(context), schemaVersion: 1 },
        },
      ],
      stream.length === 0 ? 'no_stream' : BigInt(stream.length - 1),
    );
  }

  types(streamName: string): string[] {
    return (this.streams.get(streamName) ?? []).map((event) => event.type);
  }
}

function metadataOf(ctx: CommandContext) {
  return {
    $correlationId: ctx.correlationId,
    $causationId: ctx.causationId,
    actor: ctx.actor,
    source: ctx.source,
    occurredAt: '2024-05-02T10:00:00.000Z',
  };
}

describe('handleCommand', () => {
  let store: InMemoryStreams;
  beforeEach(() => {
    store = new InMemoryStreams();
  });

  describe('on a new stream', () => {
    it('appends the decided events with the command context as metadata', async () => {
      const result = await handleCommand(store, 'tally-1', tally, { type: 'Add', by: 3 }, context);

      expect(result.events).toEqual([
        expect.objectContaining({
          type: 'Added',
          data: { by: 3, total: 3 },
          streamName: 'tally-1',
          revision: 0n,
          metadata: expect.objectContaining({
            $correlationId: 'corr-1',
            $causationId: 'cmd-1',
            actor: { type: 'user', id: 'u-1' },
            source: 'api',
            occurredAt: '2024-05-02T10:00:00.000Z',
            schemaVersion: 1,
            prevHash: null,
          }),
        }),
      ]);
      expect(result).toMatchObject({ nextExpectedRevision: 0n, position: { commit: 100n, prepare: 100n }, state: { total: 3 } });
    });
  });

  describe('on an existing stream', () => {
    it('decides on the folded state and appends after the last revision', async () => {
      await handleCommand(store, 'tally-1', tally, { type: 'Add', by: 3 }, context);
      const result = await handleCommand(store, 'tally-1', tally, { type: 'Add', by: 4 }, context);

      expect(result.events.map((event) => [event.revision, event.data])).toEqual([[1n, { by: 4, total: 7 }]]);
      expect(result.state).toEqual({ total: 7, closed: false });
    });

    it('extends the hash chain with every command', async () => {
      await handleCommand(store, 'tally-1', tally, { type: 'Add', by: 1 }, context);
      await handleCommand(store, 'tally-1', tally, { type: 'Add', by: 2 }, context);
      await handleCommand(store, 'tally-1', tally, { type: 'Close' }, context);

      const events = store.streams.get('tally-1') ?? [];
      expect(events[1].metadata.prevHash).toBe(events[0].metadata.hash);
      expect(verifyChain(events)).toMatchObject({ valid: true, checked: 3 });
    });
  });

  describe('when decide returns no events', () => {
    it('writes nothing and reports where the stream stands', async () => {
      await handleCommand(store, 'tally-1', tally, { type: 'Add', by: 2 }, context);
      const result = await handleCommand(store, 'tally-1', tally, { type: 'Touch' }, context);

      expect(result).toEqual({
        streamName: 'tally-1',
        events: [],
        nextExpectedRevision: 0n,
        position: { commit: 100n, prepare: 100n },
        state: { total: 2, closed: false },
      });
      expect(store.types('tally-1')).toEqual(['Added']);
    });

    it('reports no_stream for a stream that still does not exist', async () => {
      const result = await handleCommand(store, 'tally-1', tally, { type: 'Touch' }, context);
      expect(result).toMatchObject({ events: [], nextExpectedRevision: 'no_stream', position: null });
      expect(store.streams.has('tally-1')).toBe(false);
    });
  });

  describe('when decide throws a domain error', () => {
    it('propagates it untouched and writes nothing', async () => {
      await handleCommand(store, 'tally-1', tally, { type: 'Close' }, context);

      await expect(handleCommand(store, 'tally-1', tally, { type: 'Add', by: 1 }, context)).rejects.toThrow(TallyClosed);
      expect(store.types('tally-1')).toEqual(['Closed']);
    });
  });

  describe('when another writer appends between read and append', () => {
    it('reloads and decides again on the fresh state', async () => {
      await handleCommand(store, 'tally-1', tally, { type: 'Add', by: 1 }, context);
      store.interleaved.push(() => store.writeConcurrently('tally-1', 10));

      const result = await handleCommand(store, 'tally-1', tally, { type: 'Add', by: 5 }, context);

      expect(result.events.map((event) => [event.revision, event.data])).toEqual([[2n, { by: 5, total: 16 }]]);
      expect((store.streams.get('tally-1') ?? []).map((event) => event.data)).toEqual([
        { by: 1, total: 1 },
        { by: 10, total: 11 },
        { by: 5, total: 16 },
      ]);
    });

    it('waits for the conflicting write to become readable instead of deciding on stale state again', async () => {
      await handleCommand(store, 'tally-1', tally, { type: 'Add', by: 1 }, context);
      store.interleaved.push(() => {
        store.writeConcurrently('tally-1', 10);
        store.lagging.set('tally-1', { from: 1, reads: 2 });
      });
      let decisions = 0;
      const counted = { ...tally, decide: (command: TallyCommand, state: TallyState) => (decisions++, tally.decide(command, state)) };

      const result = await handleCommand(store, 'tally-1', counted, { type: 'Add', by: 5 }, context, { maxRetries: 1 });

      expect(result.events.map((event) => event.data)).toEqual([{ by: 5, total: 16 }]);
      expect(decisions).toBe(2);
    });

    it('retries three times by default, then fails with CONFLICT', async () => {
      for (let i = 0; i < 10; i++) store.interleaved.push(() => store.writeConcurrently('tally-1', 1));

      const attempt = handleCommand(store, 'tally-1', tally, { type: 'Add', by: 5 }, context);

      await expect(attempt).rejects.toThrow(ConcurrencyConflictError);
      await expect(attempt).rejects.toMatchObject({ code: 'CONFLICT', attempts: 4, streamName: 'tally-1' });
      expect(store.types('tally-1')).toHaveLength(4);
      expect((store.streams.get('tally-1') ?? []).every((event) => (event.data as { by: number }).by === 1)).toBe(true);
    });

    it('honours a custom retry bound', async () => {
      for (let i = 0; i < 10; i++) store.interleaved.push(() => store.writeConcurrently('tally-1', 1));

      await expect(handleCommand(store, 'tally-1', tally, { type: 'Add', by: 5 }, context, { maxRetries: 0 })).rejects.toMatchObject({
        code: 'CONFLICT',
        attempts: 1,
      });
    });
  });

  it('refuses a context without a zoned business time before touching the store', async () => {
    await expect(
      handleCommand(store, 'tally-1', tally, { type: 'Add', by: 1 }, { ...context, occurredAt: '2024-05-02 10:00' }),
    ).rejects.toMatchObject({ code: 'INVALID_EVENT' });
    expect(store.streams.size).toBe(0);
  });
});
