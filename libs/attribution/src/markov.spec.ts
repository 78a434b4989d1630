import { attributeByRemovalEffect, markovAttribution, removalEffects } from './markov';
import { byKey, handCheckRows, journeyOf, pathRow, refusal, touch } from './testing/builders';

describe('MARKOV', () => {
  describe('on the hand check c1>c2>c3 (1 conversion, value 10), c1 (1 null), c2>c3 (1 null)', () => {
    const result = markovAttribution(handCheckRows());

    it('gives c1, c2, c3 removal effects 0.5, 1, 1', () => {
      expect(result.rows.map(({ key, removalEffect }) => [key, removalEffect])).toEqual([
        ['c2', 1],
        ['c3', 1],
        ['c1', 0.5],
      ]);
    });

    it('gives c1, c2, c3 conversions 0.2, 0.4, 0.4 and value 2, 4, 4', () => {
      expect(byKey(result.rows)).toEqual({
        c1: { conversions: 0.2, value: 2, removalEffect: 0.5, valueRemovalEffect: 0.5 },
        c2: { conversions: 0.4, value: 4, removalEffect: 1, valueRemovalEffect: 1 },
        c3: { conversions: 0.4, value: 4, removalEffect: 1, valueRemovalEffect: 1 },
      });
    });

    it('reaches conversion from start with probability 1/3', () => {
      expect(result).toMatchObject({ order: 1, includeNulls: true, totalConversions: 1, totalValue: 10 });
      expect(result.conversionProbability).toBeCloseTo(1 / 3, 15);
    });
  });

  it('solves a chain with a cycle exactly: a>b>a converting and b failing give a 2/3 and b 1/3', () => {
    // x_a = x_b/2 + 1/2 and x_b = x_a/2, so P = 1/2; without a nothing converts, without b P = 1/4.
    const result = markovAttribution([pathRow('a>b>a', { conversions: 1 }), pathRow('b', { nulls: 1 })]);

    expect(result.conversionProbability).toBeCloseTo(0.5, 15);
    expect(byKey(result.rows)).toEqual({
      a: { conversions: 0.666666666667, value: 0, removalEffect: 1, valueRemovalEffect: 0 },
      b: { conversions: 0.333333333333, value: 0, removalEffect: 0.5, valueRemovalEffect: 0 },
    });
  });

  it('values a conversion at the mean value of the conversions that ended at the same state', () => {
    // Conversions after b are worth (30 + 50) / 2 = 40, after a 10: the expected value is 30, 40/3
    // without a and 10/3 without b, so value removal effects 5/9 and 8/9 share the 90 as 5:8.
    const result = markovAttribution([pathRow('a', { conversions: 1, value: 10 }), pathRow('b', { conversions: 1, value: 30 }), pathRow('a>b', { conversions: 1, value: 50 })]);

    expect(byKey(result.rows)).toEqual({
      a: { conversions: 1.5, value: Number(((90 * 5) / 13).toFixed(12)), removalEffect: 0.666666666667, valueRemovalEffect: 0.555555555556 },
      b: { conversions: 1.5, value: Number(((90 * 8) / 13).toFixed(12)), removalEffect: 0.666666666667, valueRemovalEffect: 0.888888888889 },
    });
  });

  it('tells apart at order 2 what order 1 pools: b converts after a, never after c', () => {
    const rows = [pathRow('a>b', { conversions: 1 }), pathRow('c>b', { nulls: 1 })];

    const conversions = (order: number) => Object.fromEntries(markovAttribution(rows, { order }).rows.map(({ key, conversions }) => [key, conversions]));

    expect(conversions(1)).toEqual({ a: 0.25, b: 0.5, c: 0.25 });
    expect(conversions(2)).toEqual({ a: 0.5, b: 0.5, c: 0 });
  });

  it('makes a path shorter than the order one state of its own', () => {
    const result = markovAttribution([pathRow('a', { conversions: 1 }), pathRow('a>b>c', { nulls: 1 })], { order: 3 });

    expect(byKey(result.rows)).toEqual({
      a: { conversions: 1, value: 0, removalEffect: 1, valueRemovalEffect: 0 },
      b: { conversions: 0, value: 0, removalEffect: 0, valueRemovalEffect: 0 },
      c: { conversions: 0, value: 0, removalEffect: 0, valueRemovalEffect: 0 },
    });
  });

  it('collapses repeats of a value: a>a>b learns the same as a>b', () => {
    const repeated = markovAttribution([pathRow('a>a>b', { conversions: 2 }), pathRow('b>b', { nulls: 3 })], { order: 2 });
    const plain = markovAttribution([pathRow('a>b', { conversions: 2 }), pathRow('b', { nulls: 3 })], { order: 2 });

    expect(repeated).toEqual(plain);
  });

  it('learns from converting journeys only with includeNulls false', () => {
    const result = markovAttribution(handCheckRows(), { includeNulls: false });

    expect(result.conversionProbability).toBe(1);
    expect(byKey(result.rows)).toEqual({
      c1: { conversions: 0.333333333333, value: 3.333333333333, removalEffect: 1, valueRemovalEffect: 1 },
      c2: { conversions: 0.333333333333, value: 3.333333333333, removalEffect: 1, valueRemovalEffect: 1 },
      c3: { conversions: 0.333333333333, value: 3.333333333333, removalEffect: 1, valueRemovalEffect: 1 },
    });
  });

  it('gives nothing, and no NaN, when nothing converted', () => {
    const result = markovAttribution([pathRow('a>b', { nulls: 4 })]);

    expect(result.rows).toEqual([
      { key: 'a', conversions: 0, value: 0, removalEffect: 0, valueRemovalEffect: 0 },
      { key: 'b', conversions: 0, value: 0, removalEffect: 0, valueRemovalEffect: 0 },
    ]);
  });

  it('agrees between elimination and Gauss-Seidel sweeps on a third-order chain', () => {
    const rows = ['a>b>c>a>b>d', 'b>c>d>a', 'c>a>b>c>d', 'd>c>b>a>b>c', 'a>d>a>d>b'].flatMap((path, index) => [
      pathRow(path, { conversions: index + 1, value: 100 * (index + 1) }),
      pathRow(`${path}>e`, { nulls: 2 * index + 1 }),
    ]);

    const eliminated = markovAttribution(rows, { order: 3 });
    const swept = markovAttribution(rows, { order: 3, denseLimit: 0 });

    swept.rows.forEach((row, index) => {
      expect(row.key).toBe(eliminated.rows[index].key);
      expect(row.removalEffect).toBeCloseTo(eliminated.rows[index].removalEffect, 13);
      expect(row.value).toBeCloseTo(eliminated.rows[index].value, 11);
    });
  });

  it.each([0, 4, 1.5])('refuses order %p', (order) => {
    expect(() => markovAttribution(handCheckRows(), { order })).toThrow(refusal({ field: 'order', message: 'order must be 1, 2 or 3' }));
  });

  it('refuses a path without values, naming the row', () => {
    expect(() => markovAttribution([pathRow('a', { conversions: 1 }), { path: [], conversions: 1, value: 0, nulls: 0 }])).toThrow(
      refusal({ field: 'rows[1].path', message: 'rows[1].path must list at least one value' }),
    );
  });

  describe('per opportunity', () => {
    const effects = removalEffects(markovAttribution(handCheckRows()));

    it('shares an opportunity in proportion to the removal effects of its touches', () => {
      const journey = journeyOf([touch({ channel: 'c1' }), touch({ channel: 'c2' }), touch({ channel: 'c3' })], { amountMinor: 1_000 });

      const attribution = attributeByRemovalEffect(journey, 'channel', effects);

      expect(attribution.model).toBe('MARKOV');
      expect(attribution.credits.map(({ share, creditMinor }) => [Number(share.toFixed(12)), creditMinor])).toEqual([
        [0.2, 200],
        [0.4, 400],
        [0.4, 400],
      ]);
    });

    it('gives a value the model never saw nothing, unless no touch has any effect', () => {
      const someSeen = journeyOf([touch({ channel: 'unseen' }), touch({ channel: 'c1' })], { amountMinor: 99 });
      const noneSeen = journeyOf([touch({ channel: 'unseen' }), touch({ channel: 'other' })], { amountMinor: 99 });

      expect(attributeByRemovalEffect(someSeen, 'channel', effects).credits.map(({ creditMinor }) => creditMinor)).toEqual([0, 99]);
      expect(attributeByRemovalEffect(noneSeen, 'channel', effects).credits.map(({ creditMinor }) => creditMinor)).toEqual([50, 49]);
    });

    it('reads the dimension asked for, with (not set) for a touch without it', () => {
      const campaignEffects = new Map([['spring-launch', 1], ['(not set)', 0.25]]);
      const journey = journeyOf([touch({ campaignId: 'spring-launch' }), touch({ campaignId: null })], { amountMinor: 500 });

      expect(attributeByRemovalEffect(journey, 'campaign', campaignEffects).credits.map(({ creditMinor }) => creditMinor)).toEqual([400, 100]);
    });
  });
});
