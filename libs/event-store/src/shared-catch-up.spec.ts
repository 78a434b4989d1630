import { covers, SharedCatchUp, unionFilter, type SubscriptionSource } from './shared-catch-up';
import type { AllSubscription, SubscribeToAllOptions } from './subscription';

describe('SharedCatchUp', () => {
  it('asks the store for checkpoints at about the pace its members get one for events they drop', async () => {
    const opened: SubscribeToAllOptions[] = [];
    const store: SubscriptionSource = {
      subscribeToAll: (options) => {
        opened.push(options);
        return { closed: new Promise<void>(() => undefined), stop: async () => undefined } as unknown as AllSubscription;
      },
    };
    const shared = new SharedCatchUp(store, { gatherMs: 1, checkpointEvery: 1_000 });
    const member = shared.subscribeToAll({ from: 'start', filter: { streamNamePrefixes: ['deal-'] }, handle: () => undefined });
    await new Promise((resolve) => setTimeout(resolve, 20));

    // 32 × the store's search window of 32 events: a checkpoint every 1,024 events, not every 32.
    expect(opened.map((options) => options.checkpointInterval)).toEqual([32]);
    await member.stop();
  });
});

describe('unionFilter', () => {
  it('joins the stream-name prefixes of filters that have only those, once each', () => {
    expect(unionFilter([{ streamNamePrefixes: ['deal-', 'lead-'] }, { streamNamePrefixes: ['lead-', 'pipeline-'] }])).toEqual({
      streamNamePrefixes: ['deal-', 'lead-', 'pipeline-'],
    });
  });

  it('passes every event when any filter has another condition, or none at all', () => {
    expect(unionFilter([{ streamNamePrefixes: ['deal-'] }, { eventTypePrefixes: ['Deal'] }])).toBeUndefined();
    expect(unionFilter([{ streamNamePrefixes: ['deal-'] }, { streamNamePrefixes: ['lead-'], streamNameRegex: '-1$' }])).toBeUndefined();
    expect(unionFilter([{ streamNamePrefixes: ['deal-'] }, undefined])).toBeUndefined();
    expect(unionFilter([{ streamNamePrefixes: [] }])).toBeUndefined();
  });
});

describe('covers', () => {
  it('holds when each prefix of the filter starts with one of the outer prefixes', () => {
    expect(covers({ streamNamePrefixes: ['deal-', 'lead'] }, { streamNamePrefixes: ['lead-eu-', 'deal-'] })).toBe(true);
    expect(covers({ streamNamePrefixes: ['deal-'] }, { streamNamePrefixes: ['deal-', 'lead-'] })).toBe(false);
  });

  it('holds for anything under no outer filter; under one, only for filters narrowed by stream-name prefixes', () => {
    expect(covers(undefined, { eventTypePrefixes: ['Deal'] })).toBe(true);
    expect(covers(undefined, undefined)).toBe(true);
    expect(covers({ streamNamePrefixes: ['deal-'] }, { streamNamePrefixes: ['deal-'], eventTypePrefixes: ['DealWon'] })).toBe(true);
    expect(covers({ streamNamePrefixes: ['deal-'] }, { eventTypePrefixes: ['DealWon'] })).toBe(false);
    expect(covers({ streamNamePrefixes: ['deal-'] }, undefined)).toBe(false);
  });
});
