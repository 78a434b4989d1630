import { byStageOrder, type StageInForce, type StagesInForce } from './stages-in-force';

/** Open deals of one pipeline stage in one currency at one instant. */
export interface OpenDealGroup {
  readonly stageId: string;
  readonly currency: string;
  readonly count: number;
  readonly amountMinor: bigint;
}

export interface CurrencyFigures {
  readonly currency: string;
  readonly count: number;
  readonly amountMinor: bigint;
  readonly weightedAmountMinor: bigint;
}

export interface StageFigures extends StageInForce {
  readonly count: number;
  readonly amounts: readonly CurrencyFigures[];
}

export interface PipelineFigures {
  readonly stages: readonly StageFigures[];
  readonly count: number;
  readonly amounts: readonly CurrencyFigures[];
}

/**
 * `amountMinor × winProbability %`, rounded half up to whole minor units. Probabilities have
 * at most two decimals, so working in basis points keeps the product exact before the one
 * rounding.
 */
export function weightedMinor(amountMinor: bigint, winProbability: number): bigint {
  const basisPoints = BigInt(Math.round(winProbability * 100));
  return (amountMinor * basisPoints + 5_000n) / 10_000n;
}

/**
 * Per stage and currency: the open deals, their amount, and the weighted amount (the stage's
 * amount weighted once, then rounded). Totals add the stage rows up, so they match what a
 * reader sums from the stages. The stages of the revision in force come first in stage order,
 * with or without deals; retired stages follow only when deals still sit in them.
 */
export function pipelineFigures(stages: StagesInForce, groups: readonly OpenDealGroup[]): PipelineFigures {
  const unknownStages = groups.filter((group) => !stages.find(group.stageId));
  if (unknownStages.length > 0) {
    // The write side checks every stage against the pipeline, so this means the read models disagree.
    throw new Error(`Open deals in stages the pipeline never had: ${unknownStages.map((group) => group.stageId).join(', ')}`);
  }
  const retiredWithDeals = [...new Set(groups.map((group) => group.stageId))]
    .map((stageId) => stages.find(stageId) as StageInForce)
    .filter((stage) => stage.retired)
    .sort(byStageOrder);
  const rows = [...stages.current, ...retiredWithDeals].map((stage) => {
    const amounts = groups
      .filter((group) => group.stageId === stage.stageId)
      .map((group) => ({
        currency: group.currency,
        count: group.count,
        amountMinor: group.amountMinor,
        weightedAmountMinor: weightedMinor(group.amountMinor, stage.winProbability),
      }))
      .sort(byCurrency);
    return { ...stage, count: sum(amounts.map((row) => row.count)), amounts };
  });
  return { stages: rows, count: sum(rows.map((row) => row.count)), amounts: addByCurrency(rows.flatMap((row) => row.amounts)) };
}

/** Adds figures of the same currency together; never one currency into another. */
export function addByCurrency(figures: readonly CurrencyFigures[]): CurrencyFigures[] {
  const totals = new Map<string, CurrencyFigures>();
  for (const figure of figures) {
    const total = totals.get(figure.currency);
    totals.set(
      figure.currency,
      total
        ? {
            currency: figure.currency,
            count: total.count + figure.count,
            amountMinor: total.amountMinor + figure.amountMinor,
            weightedAmountMinor: total.weightedAmountMinor + figure.weightedAmountMinor,
          }
        : figure,
    );
  }
  return [...totals.values()].sort(byCurrency);
}

function byCurrency(a: { currency: string }, b: { currency: string }): number {
  return a.currency.localeCompare(b.currency);
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
