import type { StageInForce } from './stages-in-force';

/**
 * Deals whose outcome as of the end of the period is a close inside the period, of one
 * outcome and, when won, one currency.
 */
export interface CloseGroup {
  readonly outcome: 'won' | 'lost';
  readonly count: number;
  /** What they were won for, added up; null when lost. */
  readonly wonAmountMinor: bigint | null;
  readonly wonCurrency: string | null;
  /** closedAt − openedAt of each won deal, in fractional days; empty when lost. */
  readonly cycleDays: readonly number[];
}

export interface DealSize {
  readonly currency: string;
  readonly wonCount: number;
  readonly wonAmountMinor: bigint;
  /** sum / count, unrounded: velocity works from it; the API rounds it for display. */
  readonly average: number;
}

export interface SalesCycle {
  readonly wonCount: number;
  readonly meanDays: number | null;
  readonly medianDays: number | null;
}

export interface CloseMetrics {
  readonly won: number;
  readonly lost: number;
  readonly winRate: number | null;
  readonly dealSizes: readonly DealSize[];
  readonly salesCycle: SalesCycle;
}

/** A share whose denominator may be zero: null then, never NaN, Infinity or a made-up 0. */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

export function mean(values: readonly number[]): number | null {
  return ratio(
    values.reduce((total, value) => total + value, 0),
    values.length,
  );
}

/** The middle value; for an even count, the mean of the two middle ones. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Win rate = won / (won + lost); average deal size = sum(won amount) / count(won), per
 * currency; sales cycle = closedAt − openedAt of won deals in fractional days.
 */
export function closeMetrics(closes: readonly CloseGroup[]): CloseMetrics {
  const won = closes.filter((group) => group.outcome === 'won');
  const wonCount = won.reduce((total, group) => total + group.count, 0);
  const lost = closes.filter((group) => group.outcome === 'lost').reduce((total, group) => total + group.count, 0);
  const wonByCurrency = new Map<string, { wonCount: number; wonAmountMinor: bigint }>();
  for (const group of won) {
    const currency = group.wonCurrency as string;
    const total = wonByCurrency.get(currency) ?? { wonCount: 0, wonAmountMinor: 0n };
    wonByCurrency.set(currency, { wonCount: total.wonCount + group.count, wonAmountMinor: total.wonAmountMinor + (group.wonAmountMinor as bigint) });
  }
  const cycles = won.flatMap((group) => group.cycleDays);
  return {
    won: wonCount,
    lost,
    winRate: ratio(wonCount, wonCount + lost),
    dealSizes: [...wonByCurrency.entries()]
      .map(([currency, total]) => ({ currency, ...total, average: Number(total.wonAmountMinor) / total.wonCount }))
      .sort((a, b) => a.currency.localeCompare(b.currency)),
    salesCycle: { wonCount, meanDays: mean(cycles), medianDays: median(cycles) },
  };
}

export interface CurrencyVelocity {
  readonly currency: string;
  readonly openCount: number;
  /** Unrounded minor units per day, or null. */
  readonly perDay: number | null;
}

/**
 * Velocity per currency of the open or won deals: the deals open in that currency, the win
 * rate and mean cycle of all closes, and the average deal size in that currency, so money of
 * one currency is never multiplied into another's.
 */
export function velocityByCurrency(
  open: ReadonlyArray<{ readonly currency: string; readonly count: number }>,
  closes: Pick<CloseMetrics, 'winRate' | 'dealSizes' | 'salesCycle'>,
): CurrencyVelocity[] {
  const currencies = [...new Set([...open.map((group) => group.currency), ...closes.dealSizes.map((size) => size.currency)])].sort();
  return currencies.map((currency) => {
    const openCount = open.filter((group) => group.currency === currency).reduce((total, group) => total + group.count, 0);
    const average = closes.dealSizes.find((size) => size.currency === currency)?.average ?? null;
    return { currency, openCount, perDay: pipelineVelocity(openCount, closes.winRate, average, closes.salesCycle.meanDays) };
  });
}

/**
 * Pipeline velocity = open opportunities × win rate × average deal size / mean sales cycle,
 * in minor units per day. Null when any factor is unknown or the cycle is zero days long.
 */
export function pipelineVelocity(
  openCount: number,
  winRate: number | null,
  averageDealSize: number | null,
  meanCycleDays: number | null,
): number | null {
  if (winRate === null || averageDealSize === null || meanCycleDays === null || meanCycleDays === 0) return null;
  return (openCount * winRate * averageDealSize) / meanCycleDays;
}

export interface StageReached extends StageInForce {
  readonly reached: number;
}

export interface StageStep {
  readonly fromStageId: string;
  readonly toStageId: string;
  readonly fromReached: number;
  /** Deals that reached both stages. */
  readonly converted: number;
  readonly rate: number | null;
}

export interface StageConversion {
  readonly stages: readonly StageReached[];
  readonly steps: readonly StageStep[];
}

/** Deals of a cohort that entered exactly the same stages. */
export interface StagesReached {
  readonly stageIds: ReadonlySet<string>;
  readonly deals: number;
}

/**
 * For each pair of consecutive stages i → j: of the cohort's deals that ever reached i, the
 * share that also ever reached j. `cohort` holds every set of stages some deals entered.
 */
export function stageConversion(stages: readonly StageInForce[], cohort: readonly StagesReached[]): StageConversion {
  const dealsThatReached = (...stageIds: string[]) =>
    cohort.filter((group) => stageIds.every((stageId) => group.stageIds.has(stageId))).reduce((total, group) => total + group.deals, 0);
  const counted = stages.map((stage) => ({ ...stage, reached: dealsThatReached(stage.stageId) }));
  const steps = counted.slice(1).map((to, index) => {
    const from = counted[index];
    const converted = dealsThatReached(from.stageId, to.stageId);
    return { fromStageId: from.stageId, toStageId: to.stageId, fromReached: from.reached, converted, rate: ratio(converted, from.reached) };
  });
  return { stages: counted, steps };
}
