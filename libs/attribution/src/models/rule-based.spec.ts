import type { Attribution } from '../credits';
import { ANCHOR, daysBefore, journeyOf, refusal, touch, touchesAt } from '../testing/builders';
import { attribute, ruleBasedModels, type RuleBasedModel } from './rule-based';

const shares = (attribution: Attribution) => attribution.credits.map(({ share }) => Number((share * 100).toFixed(6)));
const money = (attribution: Attribution) => attribution.credits.map(({ creditMinor }) => creditMinor);
const positionsOf = (attribution: Attribution) => attribution.credits.map(({ positions }) => positions);

const everyModel: RuleBasedModel[] = ruleBasedModels.map((name) =>
  name === 'CUSTOM' ? { name, weights: { FT: 10, LC: 20, OC: 20, CW: 20, last: 10, middle: 20 } } : ({ name } as RuleBasedModel),
);

describe('rule-based models', () => {
  it.each(everyModel.map((model) => [model.name, model]))('%s gives a lone touch 100 %%', (_, model) => {
    const attribution = attribute(journeyOf([touch({ touchpointId: 'only' })], { amountMinor: 12_345 }), model);

    expect(attribution.credits).toEqual([expect.objectContaining({ key: 'only', share: 1, creditMinor: 12_345 })]);
  });

  it.each(everyModel.map((model) => [model.name, model]))('%s credits an opportunity with no eligible touch whole to (none)', (_, model) => {
    const attribution = attribute(journeyOf([touch({ interaction: false })], { amountMinor: 5_000 }), model);

    expect(attribution.credits).toEqual([{ key: '(none)', positions: [], share: 1, exactShare: { numerator: 1n, denominator: 1n }, creditMinor: 5_000 }]);
  });

  describe('FIRST_TOUCH', () => {
    it('gives everything to the earliest touch', () => {
      expect(shares(attribute(journeyOf(touchesAt([9, 5, 1])), { name: 'FIRST_TOUCH' }))).toEqual([100, 0, 0]);
    });
  });

  describe('LAST_TOUCH', () => {
    it('gives everything to the latest touch', () => {
      expect(shares(attribute(journeyOf(touchesAt([9, 5, 1])), { name: 'LAST_TOUCH' }))).toEqual([0, 0, 100]);
    });
  });

  describe('LAST_NON_DIRECT', () => {
    it('gives everything to the last touch outside the direct channel', () => {
      const touches = [touch({ channel: 'email', occurredAt: daysBefore(3) }), touch({ channel: 'paid_social', occurredAt: daysBefore(2) }), touch({ channel: 'direct', occurredAt: daysBefore(1) })];

      expect(shares(attribute(journeyOf(touches), { name: 'LAST_NON_DIRECT' }))).toEqual([0, 100, 0]);
    });

    it('falls back to the last touch when every touch is direct', () => {
      expect(shares(attribute(journeyOf(touchesAt([3, 2, 1], { channel: 'direct' })), { name: 'LAST_NON_DIRECT' }))).toEqual([0, 0, 100]);
    });
  });

  describe('LINEAR', () => {
    it('gives every touch an equal share, and the odd minor unit to the earliest', () => {
      const attribution = attribute(journeyOf(touchesAt([3, 2, 1]), { amountMinor: 1_000 }), { name: 'LINEAR' });

      expect(money(attribution)).toEqual([334, 333, 333]);
      expect(attribution.credits.map(({ exactShare }) => exactShare)).toEqual([1n, 1n, 1n].map((numerator) => ({ numerator, denominator: 3n })));
    });
  });

  describe('TIME_DECAY', () => {
    it('gives touches 0, 0, 6 and 9 days before the anchor 33.8 %, 33.8 %, 18.6 % and 13.8 %', () => {
      const attribution = attribute(journeyOf(touchesAt([9, 6, 0, 0]), { amountMinor: 100_000 }), { name: 'TIME_DECAY' });

      expect(attribution.credits.map(({ share }) => Number((share * 100).toFixed(1)))).toEqual([13.8, 18.6, 33.8, 33.8]);
      // The floors leave 2 minor units; both go to the largest share, the earlier of the two equal ones.
      expect(money(attribution)).toEqual([13_846, 18_636, 33_760, 33_758]);
    });

    it('halves a touch per half-life of age, counted in fractional days', () => {
      const attribution = attribute(journeyOf(touchesAt([1.5, 0.5])), { name: 'TIME_DECAY', halfLifeDays: 1 });

      expect(attribution.credits[0].share / attribution.credits[1].share).toBeCloseTo(0.5, 12);
    });

    it('still tells touches apart when a short half-life makes every weight underflow to zero', () => {
      // 2^(−365 × 24) is 0 in floating point; a day between the touches is still a factor 2^24.
      const attribution = attribute(journeyOf(touchesAt([365, 364])), { name: 'TIME_DECAY', halfLifeDays: 1 / 24 });

      expect(attribution.credits[0].share).toBeCloseTo(2 ** -24 / (1 + 2 ** -24), 14);
      expect(money(attribution)).toEqual([0, 1_000_00]);
    });

    it.each([0, -7, Number.NaN])('refuses a half-life of %s days', (halfLifeDays) => {
      expect(() => attribute(journeyOf(touchesAt([1])), { name: 'TIME_DECAY', halfLifeDays })).toThrow(refusal({ field: 'halfLifeDays' }));
    });
  });

  describe('POSITION_BASED', () => {
    it('splits two touches 50/50', () => {
      expect(shares(attribute(journeyOf(touchesAt([2, 1])), { name: 'POSITION_BASED' }))).toEqual([50, 50]);
    });

    it('gives FT and last 40 % each and the middle touches 20 % between them', () => {
      const attribution = attribute(journeyOf(touchesAt([4, 3, 2, 1])), { name: 'POSITION_BASED' });

      expect(shares(attribution)).toEqual([40, 10, 10, 40]);
      expect(positionsOf(attribution)).toEqual([['FT'], ['middle'], ['middle'], ['OC', 'last']]);
    });
  });

  describe('U_SHAPED', () => {
    it('gives FT and LC 40 % each and the others 20 % between them, last touch included', () => {
      const attribution = attribute(journeyOf(touchesAt([4, 3, 2, 1]), { leadCreatedAt: daysBefore(3) }), { name: 'U_SHAPED' });

      expect(shares(attribution)).toEqual([40, 40, 10, 10]);
      expect(positionsOf(attribution)).toEqual([['FT'], ['LC'], ['middle'], ['OC', 'last', 'middle']]);
    });

    it('shares an absent LC out to FT and the middle in proportion to their weights', () => {
      expect(shares(attribute(journeyOf(touchesAt([3, 2, 1])), { name: 'U_SHAPED' }))).toEqual([66.666667, 16.666667, 16.666667]);
    });

    it('adds up the shares of a touch that is both FT and LC', () => {
      expect(shares(attribute(journeyOf(touchesAt([3, 2, 1]), { leadCreatedAt: daysBefore(3) }), { name: 'U_SHAPED' }))).toEqual([80, 10, 10]);
    });
  });

  describe('W_SHAPED', () => {
    it('gives FT, LC and OC 30 % each and the middle 10 %', () => {
      const journey = journeyOf(touchesAt([40, 30, 20, 10]), { leadCreatedAt: daysBefore(30), closedWonAt: '2024-04-30T00:00:00Z' }, { basis: 'REVENUE' });
      const late = journeyOf(
        [...touchesAt([40, 30, 20, 10]), touch({ touchpointId: 'after-open', occurredAt: '2024-04-10T00:00:00Z', position: '99' })],
        { leadCreatedAt: daysBefore(30), closedWonAt: '2024-04-30T00:00:00Z' },
        { basis: 'REVENUE' },
      );

      expect(shares(attribute(journey, { name: 'W_SHAPED' }))).toEqual([30, 30, 10, 30]);
      expect(shares(attribute(late, { name: 'W_SHAPED' }))).toEqual([30, 30, 5, 30, 5]);
    });
  });

  describe('FULL_PATH', () => {
    const touches = () => [...touchesAt([40, 30, 20, 10]), touch({ touchpointId: 'after-open', occurredAt: '2024-04-10T00:00:00Z', position: '99' })];

    it('gives FT, LC, OC and CW 22.5 % each and the middle 10 % on the revenue basis', () => {
      const journey = journeyOf(touches(), { leadCreatedAt: daysBefore(30), closedWonAt: '2024-04-30T00:00:00Z' }, { basis: 'REVENUE' });

      expect(shares(attribute(journey, { name: 'FULL_PATH' }))).toEqual([22.5, 22.5, 10, 22.5, 22.5]);
    });

    it('has no CW on the pipeline basis, so FT, LC and OC share its 22.5 % with the middle', () => {
      const journey = journeyOf(touches(), { leadCreatedAt: daysBefore(30) });

      expect(shares(attribute(journey, { name: 'FULL_PATH' }))).toEqual([29.032258, 29.032258, 12.903226, 29.032258]);
    });
  });

  describe('J_SHAPED', () => {
    it('splits two touches 25/75', () => {
      expect(shares(attribute(journeyOf(touchesAt([2, 1])), { name: 'J_SHAPED' }))).toEqual([25, 75]);
    });

    it('gives FT 20 %, last 60 % and the middle 20 %', () => {
      expect(shares(attribute(journeyOf(touchesAt([3, 2, 1])), { name: 'J_SHAPED' }))).toEqual([20, 20, 60]);
    });
  });

  describe('INVERSE_J', () => {
    it('splits two touches 75/25 and gives a middle touch 20 %', () => {
      expect(shares(attribute(journeyOf(touchesAt([2, 1])), { name: 'INVERSE_J' }))).toEqual([75, 25]);
      expect(shares(attribute(journeyOf(touchesAt([3, 2, 1])), { name: 'INVERSE_J' }))).toEqual([60, 20, 20]);
    });
  });

  describe('CUSTOM', () => {
    it('weighs the positions the caller names, decimals included', () => {
      const journey = journeyOf(touchesAt([3, 2, 1]), { amountMinor: 1_000 });

      const attribution = attribute(journey, { name: 'CUSTOM', weights: { FT: 33.33, middle: 33.33, last: 33.34 } });

      expect(shares(attribution)).toEqual([33.33, 33.33, 33.34]);
      expect(money(attribution)).toEqual([333, 333, 334]);
    });

    it.each([
      [{ FT: 50, last: 40 }, 'weights', 'weights must sum to 100 (they sum to 90)'],
      [{ FT: 50, last: 50.0000001 }, 'weights.last', 'weights.last must be a percentage from 0 to 100 with at most 6 decimals'],
      [{ FT: -10, last: 110 }, 'weights.FT', 'weights.FT must be a percentage from 0 to 100 with at most 6 decimals'],
      [{ FT: 50, MQL: 50 }, 'weights.MQL', 'weights.MQL is not a position: use FT, LC, OC, CW, last, middle'],
      [{ LC: 50, OC: 50 }, 'weights', 'weights must give FT or last more than 0, so that every journey with a touch has a position to credit'],
    ])('refuses %j, naming %s and the rule', (weights, field, message) => {
      expect(() => attribute(journeyOf(touchesAt([1])), { name: 'CUSTOM', weights: weights as Record<string, number> })).toThrow(
        refusal({ code: 'INVALID_WEIGHTS', field, message }),
      );
    });
  });

  it('gives the rounding remainder to the largest share so credits sum exactly to the amount', () => {
    const attribution = attribute(journeyOf(touchesAt([3, 2, 1]), { amountMinor: 1_001 }), { name: 'POSITION_BASED' });

    // 400.4, 200.2 and 400.4 floor to 1,000; the unit left goes to the earlier of the two largest.
    expect(money(attribution)).toEqual([401, 200, 400]);
    expect(money(attribution).reduce((sum, credit) => sum + credit, 0)).toBe(1_001);
  });

  it('keeps shares exact: the numerators of one journey sum to their common denominator', () => {
    const attribution = attribute(journeyOf(touchesAt([5, 4, 3, 2, 1])), { name: 'W_SHAPED' });
    const [{ exactShare }] = attribution.credits;

    expect(attribution.credits.reduce((sum, credit) => sum + credit.exactShare.numerator, 0n)).toBe(exactShare.denominator);
  });

  it('refuses a model it does not know', () => {
    expect(() => attribute(journeyOf(touchesAt([1])), { name: 'LAST_CLICK' } as unknown as RuleBasedModel)).toThrow(
      refusal({ code: 'UNSUPPORTED_MODEL', field: 'model', message: /^model LAST_CLICK is not one of FIRST_TOUCH, LAST_TOUCH, / }),
    );
  });

  it('reports the basis, anchor, amount and currency it credited', () => {
    const attribution = attribute(journeyOf(touchesAt([1]), { amountMinor: 700, currency: 'JPY' }), { name: 'LINEAR' });

    expect(attribution).toMatchObject({ model: 'LINEAR', basis: 'PIPELINE', anchor: ANCHOR, amountMinor: 700, currency: 'JPY' });
  });
});
