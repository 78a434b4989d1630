import { addByCurrency, pipelineFigures, weightedMinor } from './pipeline-figures';
import { stagesInForce } from './stages-in-force';

const stages = stagesInForce(
  [
    { revision: 1, stageId: 'discovery', name: 'Discovery', order: 10, winProbability: 10 },
    { revision: 1, stageId: 'demo', name: 'Demo', order: 20, winProbability: 30 },
    { revision: 2, stageId: 'discovery', name: 'Discovery', order: 10, winProbability: 15 },
    { revision: 2, stageId: 'proposal', name: 'Proposal', order: 30, winProbability: 55 },
  ],
  2,
);

describe('pipeline figures', () => {
  describe('a weighted amount', () => {
    it('is the amount times the probability, rounded half up to whole minor units', () => {
      // 12345 × 10 % = 1234.5 → 1235; 12344 × 10 % = 1234.4 → 1234
      expect(weightedMinor(12_345n, 10)).toBe(1_235n);
      expect(weightedMinor(12_344n, 10)).toBe(1_234n);
    });

    it('stays exact beyond 2^53 and with two-decimal probabilities', () => {
      // 2^60 × 12.5 % = 2^57 exactly
      expect(weightedMinor(2n ** 60n, 12.5)).toBe(2n ** 57n);
      // 1000 × 33.33 % = 333.3 → 333
      expect(weightedMinor(1_000n, 33.33)).toBe(333n);
    });
  });

  it('lists every stage in force in order, per currency, and totals the stage rows', () => {
    const figures = pipelineFigures(stages, [
      { stageId: 'proposal', currency: 'USD', count: 1, amountMinor: 1_001n },
      { stageId: 'proposal', currency: 'EUR', count: 2, amountMinor: 3_000n },
      { stageId: 'discovery', currency: 'EUR', count: 1, amountMinor: 10_003n },
    ]);

    const rows = figures.stages.map(({ stageId, winProbability, retired, count, amounts }) => ({
      stageId,
      winProbability,
      retired,
      count,
      amounts,
    }));
    expect(rows).toEqual([
      {
        stageId: 'discovery',
        winProbability: 15,
        retired: false,
        count: 1,
        // 10003 × 15 % = 1500.45 → 1500
        amounts: [{ currency: 'EUR', count: 1, amountMinor: 10_003n, weightedAmountMinor: 1_500n }],
      },
      {
        stageId: 'proposal',
        winProbability: 55,
        retired: false,
        count: 3,
        amounts: [
          // 3000 × 55 % = 1650; 1001 × 55 % = 550.55 → 551
          { currency: 'EUR', count: 2, amountMinor: 3_000n, weightedAmountMinor: 1_650n },
          { currency: 'USD', count: 1, amountMinor: 1_001n, weightedAmountMinor: 551n },
        ],
      },
    ]);
    expect(figures.count).toBe(4);
    // EUR: 10003 + 3000, weighted 1500 + 1650
    expect(figures.amounts).toEqual([
      { currency: 'EUR', count: 3, amountMinor: 13_003n, weightedAmountMinor: 3_150n },
      { currency: 'USD', count: 1, amountMinor: 1_001n, weightedAmountMinor: 551n },
    ]);
  });

  it('adds a retired stage after the current ones only while deals sit in it', () => {
    const figures = pipelineFigures(stages, [{ stageId: 'demo', currency: 'EUR', count: 1, amountMinor: 1_000n }]);

    expect(figures.stages.map((stage) => [stage.stageId, stage.retired, stage.count])).toEqual([
      ['discovery', false, 0],
      ['proposal', false, 0],
      ['demo', true, 1],
    ]);
    // 1000 × 30 %, the demo stage's last probability
    expect(figures.amounts).toEqual([{ currency: 'EUR', count: 1, amountMinor: 1_000n, weightedAmountMinor: 300n }]);
  });

  it('refuses deals in a stage the pipeline never had, rather than dropping them', () => {
    expect(() => pipelineFigures(stages, [{ stageId: 'legal', currency: 'EUR', count: 1, amountMinor: 1n }])).toThrow(
      'Open deals in stages the pipeline never had: legal',
    );
  });

  it('adds figures by currency, never across currencies', () => {
    expect(
      addByCurrency([
        { currency: 'USD', count: 1, amountMinor: 5n, weightedAmountMinor: 1n },
        { currency: 'EUR', count: 1, amountMinor: 7n, weightedAmountMinor: 2n },
        { currency: 'USD', count: 2, amountMinor: 10n, weightedAmountMinor: 3n },
      ]),
    ).toEqual([
      { currency: 'EUR', count: 1, amountMinor: 7n, weightedAmountMinor: 2n },
      { currency: 'USD', count: 3, amountMinor: 15n, weightedAmountMinor: 4n },
    ]);
  });
});
