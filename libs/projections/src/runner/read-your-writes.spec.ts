import type { EventStore } from '@revops/event-store';
import type { ProjectionBookkeeping, ServingState } from './bookkeeping';
import type { Projection } from './projection';
import { ReadYourWrites } from './read-your-writes';
import { ProjectionSignals } from './signals';
import { at } from './testing/envelopes';

const projection: Projection = { name: 'counts', version: 2, consumes: { streamNamePrefixes: ['count-'] }, createTables: () => [], apply: async () => undefined };

/** A serving version whose checkpoint the test moves, counting how often the waiter looks. */
function servingAt(state: { serving: ServingState | null; looks: number }): ProjectionBookkeeping {
  return {
    serving: async () => {
      state.looks++;
      return state.serving;
    },
  } as unknown as ProjectionBookkeeping;
}

// Only consulted when the checkpoint moves without passing the position; these tests pass it outright.
const store = {} as EventStore;

describe('ReadYourWrites', () => {
  const settings = { pollIntervalMs: 20, maxPollIntervalMs: 160, scanLimit: 10 };

  it('looks less and less often while nothing is signalled, and gives up with a timeout', async () => {
    const state = { serving: null, looks: 0 };
    const waits = new ReadYourWrites(store, servingAt(state), new ProjectionSignals(), [projection], settings);

    await expect(waits.waitForPosition('counts', at(100), 700)).rejects.toThrow('did not reach position 100');
    // 20, 40, 80, 160, 160, 160… ms apart: about 7 looks in 700 ms, against 35 at a steady 20 ms.
    expect(state.looks).toBeGreaterThanOrEqual(5);
    expect(state.looks).toBeLessThanOrEqual(10);
  });

  it('looks again at once on a commit of the serving version, not on one of a version being rebuilt', async () => {
    const state: { serving: ServingState | null; looks: number } = { serving: { name: 'counts', version: 1, schemaName: 'rm_counts_v1', checkpoint: at(10) }, looks: 0 };
    const signals = new ProjectionSignals();
    const waits = new ReadYourWrites(store, servingAt(state), signals, [projection], { ...settings, pollIntervalMs: 10_000, maxPollIntervalMs: 10_000 });
    const waiting = waits.waitForPosition('counts', at(100), 5_000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const looksBefore = state.looks;

    signals.committed({ name: 'counts', version: 2, checkpoint: at(200), events: 1, batch: [] });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(state.looks).toBe(looksBefore);

    state.serving = { ...state.serving!, checkpoint: at(100) };
    const started = Date.now();
    signals.committed({ name: 'counts', version: 1, checkpoint: at(100), events: 1, batch: [] });
    await waiting;
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('looks again at once after a commit that came while it was reading the checkpoint', async () => {
    const signals = new ProjectionSignals();
    let looks = 0;
    const bookkeeping = {
      serving: async () => {
        looks++;
        // The batch commits while this look is on its way: the first answer is already stale.
        if (looks === 1) signals.committed({ name: 'counts', version: 1, checkpoint: at(100), events: 1, batch: [] });
        return { name: 'counts', version: 1, schemaName: 'rm_counts_v1', checkpoint: at(looks === 1 ? 10 : 100) };
      },
    } as unknown as ProjectionBookkeeping;
    const waits = new ReadYourWrites(store, bookkeeping, signals, [projection], { ...settings, pollIntervalMs: 10_000, maxPollIntervalMs: 10_000 });
    const started = Date.now();

    await waits.waitForPosition('counts', at(100), 5_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(looks).toBe(2);
  });

  it('looks again at once when the serving version changes', async () => {
    const state: { serving: ServingState | null; looks: number } = { serving: null, looks: 0 };
    const signals = new ProjectionSignals();
    const waits = new ReadYourWrites(store, servingAt(state), signals, [projection], { ...settings, pollIntervalMs: 10_000, maxPollIntervalMs: 10_000 });
    const waiting = waits.waitForPosition('counts', at(100), 5_000);
    await new Promise((resolve) => setTimeout(resolve, 20));

    state.serving = { name: 'counts', version: 2, schemaName: 'rm_counts_v2', checkpoint: at(150) };
    const started = Date.now();
    signals.changed({ name: 'counts', version: 2 });
    await waiting;
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
