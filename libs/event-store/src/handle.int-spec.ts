import { useEventStore, type EventStoreHandle } from '../../../test/support/event-store';
import { EventStore } from './event-store';
import { ConcurrencyConflictError } from './errors';
import type { Decider } from './handle';
import { verifyChain } from './hash-chain';
import { aContext, collect, FIXED_TIME, someMetadata, uniqueCategory } from './test-support/fixtures';

jest.setTimeout(60_000);

type DealEvent =
  | { type: 'DealOpened'; data: { amount: number; currency: string } }
  | { type: 'DealAmountChanged'; data: { from: number; to: number } }
  | { type: 'DealWon'; data: { amount: number } };
type DealCommand = { type: 'Open'; amount: number } | { type: 'ChangeAmount'; amount: number } | { type: 'Win' };
type DealState = { status: 'none' } | { status: 'open' | 'won'; amount: number };

class DealNotOpen extends Error {
  readonly code = 'DEAL_NOT_OPEN';
}

const deal: Decider<DealState, DealCommand, DealEvent> = {
  initialState: () => ({ status: 'none' }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'DealOpened':
        return { status: 'open', amount: event.data.amount };
      case 'DealAmountChanged':
        return { status: 'open', amount: event.data.to };
      case 'DealWon':
        return { status: 'won', amount: event.data.amount };
    }
  },
  decide: (command, state) => {
    if (command.type === 'Open') {
      return state.status === 'none' ? [{ type: 'DealOpened', data: { amount: command.amount, currency: 'EUR' } }] : [];
    }
    if (state.status !== 'open') throw new DealNotOpen(`Deal is ${state.status}`);
    switch (command.type) {
      case 'ChangeAmount':
        return command.amount === state.amount ? [] : [{ type: 'DealAmountChanged', data: { from: state.amount, to: command.amount } }];
      case 'Win':
        return [{ type: 'DealWon', data: { amount: state.amount } }];
    }
  },
};

type TallyEvent = { type: 'Added'; data: { by: number; total: number } };
const tally = (decisions: string[]): Decider<number, { by: number }, TallyEvent> => ({
  initialState: () => 0,
  evolve: (total, event) => event.data.total,
  decide: (command, total) => {
    decisions.push(`+${command.by} on ${total}`);
    return [{ type: 'Added', data: { by: command.by, total: total + command.by } }];
  },
});

describe('EventStore.handle against the event-store dev server', () => {
  let server: EventStoreHandle;
  let store: EventStore;
  let replica: EventStore;

  beforeAll(async () => {
    server = await useEventStore();
    store = new EventStore({ connectionString: server.connectionString });
    // A second connection, as a second API instance would have.
    replica = new EventStore({ connectionString: server.connectionString });
  });

  afterAll(async () => {
    await Promise.all([store.close(), replica.close()]);
    await server.stop();
  });

  it('appends what the decider decides, with the command context, and returns its position', async () => {
    const stream = `${uniqueCategory('opportunity')}-1`;

    const opened = await store.handle(stream, deal, { type: 'Open', amount: 50000 }, aContext({ causationId: 'cmd-open' }));
    const changed = await store.handle(stream, deal, { type: 'ChangeAmount', amount: 65000 }, aContext({ causationId: 'cmd-change' }));
    const stored = await collect(store.readStream(stream));

    expect(opened).toMatchObject({ nextExpectedRevision: 0n, state: { status: 'open', amount: 50000 } });
    expect(changed).toMatchObject({
      nextExpectedRevision: 1n,
      events: [{ type: 'DealAmountChanged', data: { from: 50000, to: 65000 }, revision: 1n, streamName: stream }],
      state: { status: 'open', amount: 65000 },
    });
    expect(stored.map((event) => [event.type, event.metadata.$causationId, event.metadata.occurredAt])).toEqual([
      ['DealOpened', 'cmd-open', FIXED_TIME],
      ['DealAmountChanged', 'cmd-change', FIXED_TIME],
    ]);
    expect(changed.position).toEqual(stored[1].position);
    expect(changed.events[0].eventId).toBe(stored[1].eventId);
  });

  it('writes nothing when the decider decides nothing, and reports where the stream stands', async () => {
    const stream = `${uniqueCategory('opportunity')}-1`;
    const opened = await store.handle(stream, deal, { type: 'Open', amount: 100 }, aContext());

    const unchanged = await store.handle(stream, deal, { type: 'ChangeAmount', amount: 100 }, aContext());

    expect(unchanged).toEqual({
      streamName: stream,
      events: [],
      nextExpectedRevision: 0n,
      position: opened.position,
      state: { status: 'open', amount: 100 },
    });
    expect(await collect(store.readStream(stream))).toHaveLength(1);
  });

  it('lets a domain error through untouched and writes nothing', async () => {
    const stream = `${uniqueCategory('opportunity')}-1`;
    await store.handle(stream, deal, { type: 'Open', amount: 100 }, aContext());
    await store.handle(stream, deal, { type: 'Win' }, aContext());

    const winAgain = store.handle(stream, deal, { type: 'Win' }, aContext());

    await expect(winAgain).rejects.toThrow(DealNotOpen);
    await expect(winAgain).rejects.toMatchObject({ code: 'DEAL_NOT_OPEN', message: 'Deal is won' });
    expect((await collect(store.readStream(stream))).map((event) => event.type)).toEqual(['DealOpened', 'DealWon']);
  });

  it('lands two concurrent commands on one stream in order, the later one decided on fresh state', async () => {
    const stream = `${uniqueCategory('tally')}-1`;
    const decisions: string[] = [];

    const results = await Promise.all([
      store.handle(stream, tally(decisions), { by: 1 }, aContext()),
      replica.handle(stream, tally(decisions), { by: 2 }, aContext()),
    ]);
    const stored = (await collect(store.readStream(stream))).map((event) => event.data);

    expect(stored).toHaveLength(2);
    const [first, second] = stored as Array<{ by: number; total: number }>;
    expect(first.total).toBe(first.by);
    expect(second.total).toBe(first.by + second.by);
    expect([first.by, second.by].sort()).toEqual([1, 2]);
    expect(results.map((result) => result.nextExpectedRevision).sort()).toEqual([0n, 1n]);
    // Both read the empty stream; whichever lost reloaded and decided again.
    // Both read the empty stream; whichever lost reloaded and decided again on the winner's total.
    expect(decisions).toEqual([expect.stringMatching(/ on 0$/), expect.stringMatching(/ on 0$/), `+${second.by} on ${first.total}`]);
  });

  it('gives up with CONFLICT when another writer always gets there first', async () => {
    const stream = `${uniqueCategory('tally')}-1`;
    const decisions: string[] = [];
    const rivalWrites: Array<Promise<unknown>> = [];
    const contested = tally(decisions);
    // Each time our command has read and decided, someone else appends to the stream
    // before our append reaches the store.
    const outpaced: typeof contested = {
      ...contested,
      decide: (command, total) => {
        rivalWrites.push(
          store.append(stream, [{ type: 'Added', data: { by: 100, total: -1 }, metadata: someMetadata({ causationId: 'rival' }) }], {
            expectedRevision: 'any',
          }),
        );
        return contested.decide(command, total);
      },
    };

    const attempt = store.handle(stream, outpaced, { by: 1 }, aContext());

    await expect(attempt).rejects.toThrow(ConcurrencyConflictError);
    await expect(attempt).rejects.toMatchObject({ code: 'CONFLICT', streamName: stream, attempts: 4 });
    await Promise.all(rivalWrites);
    const stored = await collect(store.readStream(stream));
    expect(decisions).toHaveLength(4);
    expect(stored.map((event) => event.metadata.$causationId)).toEqual(['rival', 'rival', 'rival', 'rival']);
  });

  it('chains the hashes of every event across commands, so the stream can be verified', async () => {
    const stream = `${uniqueCategory('opportunity')}-1`;
    await store.handle(stream, deal, { type: 'Open', amount: 1000 }, aContext());
    await store.handle(stream, deal, { type: 'ChangeAmount', amount: 2000 }, aContext());
    await store.handle(stream, deal, { type: 'ChangeAmount', amount: 3000 }, aContext());
    await store.handle(stream, deal, { type: 'Win' }, aContext());

    const stored = await collect(store.readStream(stream, { upcast: false }));

    expect(stored[0].metadata.prevHash).toBeNull();
    expect(stored.slice(1).map((event) => event.metadata.prevHash)).toEqual(stored.slice(0, -1).map((event) => event.metadata.hash));
    expect(verifyChain(stored)).toEqual({ valid: true, checked: 4, lastHash: stored[3].metadata.hash });
  });

  it('exposes an event slipped into a chained stream without its link', async () => {
    const stream = `${uniqueCategory('opportunity')}-1`;
    await store.handle(stream, deal, { type: 'Open', amount: 1000 }, aContext());
    await store.append(stream, [{ type: 'DealAmountChanged', data: { from: 1000, to: 1 }, metadata: someMetadata() }], {
      expectedRevision: 0n,
    });
    await store.handle(stream, deal, { type: 'Win' }, aContext());

    const stored = await collect(store.readStream(stream, { upcast: false }));

    expect(verifyChain(stored)).toMatchObject({
      valid: false,
      checked: 1,
      brokenAt: { index: 1, revision: 1n, eventId: stored[1].eventId, reason: 'missing_hash' },
    });
  });
});
