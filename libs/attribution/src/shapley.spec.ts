import { pathRows } from './path-rows';
import { attributeByShapley, shapleyAttribution } from './shapley';
import { byKey, handCheckRows, journeyOf, pathRow, touch } from './testing/builders';

describe('SHAPLEY', () => {
  it('shares each converting path equally among the distinct values it holds', () => {
    const result = shapleyAttribution([pathRow('a>b>a', { conversions: 3, value: 30 }), pathRow('b>c', { conversions: 1, value: 8 })]);

    expect(byKey(result.rows)).toEqual({ a: { conversions: 1.5, value: 15 }, b: { conversions: 2, value: 19 }, c: { conversions: 0.5, value: 4 } });
    expect(result).toMatchObject({ totalConversions: 4, totalValue: 38 });
  });

  it('gives c1, c2, c3 a third each of the hand check: failed journeys earn nothing', () => {
    expect(byKey(shapleyAttribution(handCheckRows()).rows)).toEqual({
      c1: { conversions: 0.333333333333, value: 3.333333333333 },
      c2: { conversions: 0.333333333333, value: 3.333333333333 },
      c3: { conversions: 0.333333333333, value: 3.333333333333 },
    });
  });

  describe('per opportunity', () => {
    it('gives each distinct value an equal part, shared by the touches holding it', () => {
      const journey = journeyOf([touch({ channel: 'email' }), touch({ channel: 'events' }), touch({ channel: 'email' })], { amountMinor: 1_000 });

      const attribution = attributeByShapley(journey, 'channel');

      expect(attribution.model).toBe('SHAPLEY');
      expect(attribution.credits.map(({ share, creditMinor }) => [share, creditMinor])).toEqual([
        [0.25, 250],
        [0.5, 500],
        [0.25, 250],
      ]);
    });

    it('adds up, over converting opportunities, to the Shapley values of their paths', () => {
      const journeys = [
        journeyOf([touch({ channel: 'email' }), touch({ channel: 'events' }), touch({ channel: 'email' })], { amountMinor: 600 }),
        journeyOf([touch({ channel: 'events' }), touch({ channel: 'direct' })], { amountMinor: 300 }),
      ];
      const perOpportunity = new Map<string, number>();
      for (const journey of journeys) {
        attributeByShapley(journey, 'channel').credits.forEach(({ share }, index) => {
          const { channel } = journey.touches[index];
          perOpportunity.set(channel, (perOpportunity.get(channel) ?? 0) + share);
        });
      }

      const aggregate = shapleyAttribution(pathRows(journeys.map(({ touches }) => ({ touches, converted: true })), 'channel'));

      expect(Object.fromEntries(perOpportunity)).toEqual(Object.fromEntries(aggregate.rows.map(({ key, conversions }) => [key, conversions])));
    });
  });
});
