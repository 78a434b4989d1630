import { closeMetrics, mean, median, pipelineVelocity, ratio, stageConversion, velocityByCurrency, type CloseGroup } from './sales-metrics';
import type { StageInForce } from './stages-in-force';

/** One deal won after `cycleDays`. */
const won = (cycleDays: number, amountMinor: number, currency = 'EUR'): CloseGroup => ({
  outcome: 'won',
  count: 1,
  wonAmountMinor: BigInt(amountMinor),
  wonCurrency: currency,
  cycleDays: [cycleDays],
});
const lost = (count = 1): CloseGroup => ({ outcome: 'lost', count, wonAmountMinor: null, wonCurrency: null, cycleDays: [] });

const stage = (stageId: string, order: number): StageInForce => ({
  revision: 1,
  stageId,
  name: stageId,
  order,
  winProbability: 10,
  retired: false,
});

describe('sales metrics', () => {
  describe('median', () => {
    it('is the middle value of an odd count, whatever the input order', () => {
      expect(median([9, 1, 4])).toBe(4);
    });

    it('is the mean of the two middle values of an even count', () => {
      expect(median([10, 1, 4, 2])).toBe(3);
    });

    it('is null for no values', () => {
      expect(median([])).toBeNull();
    });
  });

  describe('with a zero denominator', () => {
    it('gives null for a ratio and a mean, never NaN or 0', () => {
      expect(ratio(0, 0)).toBeNull();
      expect(mean([])).toBeNull();
    });

    it('gives no win rate, deal size or sales cycle when nothing closed', () => {
      expect(closeMetrics([])).toEqual({
        won: 0,
        lost: 0,
        winRate: null,
        dealSizes: [],
        salesCycle: { wonCount: 0, meanDays: null, medianDays: null },
      });
    });

    it('gives a win rate of 0 but no cycle when every close was a loss', () => {
      const metrics = closeMetrics([lost()]);

      expect(metrics.winRate).toBe(0);
      expect(metrics.salesCycle).toEqual({ wonCount: 0, meanDays: null, medianDays: null });
    });
  });

  describe('close metrics', () => {
    const metrics = () =>
      closeMetrics([won(10, 1_000), won(1.5, 2_001), won(4, 500, 'USD'), lost()]);

    it('divides the won deals by the won and lost ones', () => {
      // 3 / (3 + 1)
      expect(metrics()).toMatchObject({ won: 3, lost: 1, winRate: 0.75 });
    });

    it('averages the won amounts per currency without converting between them', () => {
      // EUR: (1000 + 2001) / 2 = 1500.5; USD: 500 / 1
      expect(metrics().dealSizes).toEqual([
        { currency: 'EUR', wonCount: 2, wonAmountMinor: 3_001n, average: 1_500.5 },
        { currency: 'USD', wonCount: 1, wonAmountMinor: 500n, average: 500 },
      ]);
    });

    it('counts the deals of each group', () => {
      const groups: CloseGroup[] = [
        { outcome: 'won', count: 2, wonAmountMinor: 3_000n, wonCurrency: 'EUR', cycleDays: [2, 6] },
        { outcome: 'won', count: 1, wonAmountMinor: 1_000n, wonCurrency: 'EUR', cycleDays: [4] },
        lost(3),
      ];

      expect(closeMetrics(groups)).toMatchObject({
        won: 3,
        lost: 3,
        winRate: 0.5,
        dealSizes: [{ currency: 'EUR', wonCount: 3, wonAmountMinor: 4_000n, average: 4_000 / 3 }],
        salesCycle: { wonCount: 3, meanDays: 4, medianDays: 4 },
      });
    });

    it('measures the cycle of won deals only, in fractional days', () => {
      // mean (10 + 1.5 + 4) / 3 = 5.1666…; median of 1.5, 4, 10 = 4
      expect(metrics().salesCycle).toEqual({ wonCount: 3, meanDays: 15.5 / 3, medianDays: 4 });
    });
  });

  describe('pipeline velocity', () => {
    it('is open deals × win rate × average deal size / mean cycle, per day', () => {
      // 4 × 0.5 × 3000 / 12 = 500
      expect(pipelineVelocity(4, 0.5, 3_000, 12)).toBe(500);
    });

    it('is null when a factor is unknown or the mean cycle is zero', () => {
      expect(pipelineVelocity(4, null, 3_000, 12)).toBeNull();
      expect(pipelineVelocity(4, 0.5, null, 12)).toBeNull();
      expect(pipelineVelocity(4, 0.5, 3_000, null)).toBeNull();
      expect(pipelineVelocity(4, 0.5, 3_000, 0)).toBeNull();
    });

    it('is 0 when nothing is open', () => {
      expect(pipelineVelocity(0, 0.5, 3_000, 12)).toBe(0);
    });

    it('is worked out per currency, with the deals open and the deal size in that currency', () => {
      const closes = closeMetrics([won(10, 3_000), won(20, 1_000, 'USD'), lost(2)]);
      const open = [
        { currency: 'EUR', count: 2 },
        { currency: 'EUR', count: 1 },
        { currency: 'GBP', count: 4 },
      ];

      // win rate 2 / 4 = 0.5, mean cycle (10 + 20) / 2 = 15 days
      expect(velocityByCurrency(open, closes)).toEqual([
        // 3 × 0.5 × 3000 / 15
        { currency: 'EUR', openCount: 3, perDay: 300 },
        // nothing won in GBP: no deal size
        { currency: 'GBP', openCount: 4, perDay: null },
        // nothing open in USD: 0 × 0.5 × 1000 / 15
        { currency: 'USD', openCount: 0, perDay: 0 },
      ]);
    });
  });

  describe('stage conversion', () => {
    const stages = [stage('discovery', 10), stage('demo', 20), stage('proposal', 30)];

    it('counts, for consecutive stages, the deals that reached both over those that reached the first', () => {
      const cohort = [
        { stageIds: new Set(['discovery', 'demo', 'proposal']), deals: 1 },
        { stageIds: new Set(['discovery', 'demo']), deals: 1 },
        { stageIds: new Set(['discovery']), deals: 1 },
        { stageIds: new Set(['proposal']), deals: 1 },
      ];

      const conversion = stageConversion(stages, cohort);

      expect(conversion.stages.map((row) => [row.stageId, row.reached])).toEqual([
        ['discovery', 3],
        ['demo', 2],
        ['proposal', 2],
      ]);
      // discovery→demo 2/3; demo→proposal 1/2 (the deal opened in proposal never reached demo)
      expect(conversion.steps).toEqual([
        { fromStageId: 'discovery', toStageId: 'demo', fromReached: 3, converted: 2, rate: 2 / 3 },
        { fromStageId: 'demo', toStageId: 'proposal', fromReached: 2, converted: 1, rate: 0.5 },
      ]);
    });

    it('gives a null rate out of a stage no deal reached', () => {
      const conversion = stageConversion(stages, [{ stageIds: new Set(['discovery']), deals: 1 }]);

      expect(conversion.steps[1]).toEqual({ fromStageId: 'demo', toStageId: 'proposal', fromReached: 0, converted: 0, rate: null });
    });

    it('counts every deal of a set of stages that several deals entered', () => {
      const conversion = stageConversion(stages, [
        { stageIds: new Set(['discovery', 'demo']), deals: 4 },
        { stageIds: new Set(['discovery']), deals: 6 },
      ]);

      expect(conversion.steps[0]).toEqual({ fromStageId: 'discovery', toStageId: 'demo', fromReached: 10, converted: 4, rate: 0.4 });
    });
  });
});
