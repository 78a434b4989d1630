import type { StageInForce } from './stages-in-force';

const MS_PER_DAY = 86_400_000;

/** A deal whose outcome as of the end of the period is a close inside the period. */
export interface ClosedDeal {
  readonly outcome: 'won' | 'lost';
  readonly openedAt: string;
  readonly closedAt: string;
  /** What it was won for; null when lost. */
  readonly wonAmountMinor: bigint | null;
  readonly wonCurrency: string | null;
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
export function closeMetrics(deals: readonly ClosedDeal[]): CloseMetrics {
  const won = deals.filter((deal) => deal.outcome === 'won');
  const lost = deals.length - won.length;
  const wonByCurrency = new Map<string, { wonCount: number; wonAmountMinor: bigint }>();
  for (const deal of won) {
    const currency = deal.wonCurrency as string;
    const total = wonByCurrency.get(currency) ?? { wonCount: 0, wonAmountMinor: 0n };
    wonByCurrency.set(currency, { wonCount: total.wonCount + 1, wonAmountMinor: total.wonAmountMinor + (deal.wonAmountMinor as bigint) });
  }
  const cycles = won.map((deal) => (Date.parse(deal.closedAt) - Date.parse(deal.openedAt)) / MS_PER_DAY);
  return {
    won: won.length,
    lost,
    winRate: ratio(won.length, won.length + lost),
    dealSizes: [...wonByCurrency.entries()]
      .map(([currency, total]) => ({ currency, ...total, average: Number(total.wonAmountMinor) / total.wonCount }))
      .sort((a, b) => a.currency.localeCompare(b.currency)),
    salesCycle: { wonCount: won.length, meanDays: mean(cycles), medianDays: median(cycles) },
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

/**
 * For each pair of consecutive stages i → j: of the cohort's deals that ever reached i, the
 * share that also ever reached j. `reached` holds, per deal, every stage it has entered.
 */
export function stageConversion(stages: readonly StageInForce[], reached: readonly ReadonlySet<string>[]): StageConversion {
  const counted = stages.map((stage) => ({ ...stage, reached: reached.filter((deal) => deal.has(stage.stageId)).length }));
  const steps = counted.slice(1).map((to, index) => {
    const from = counted[index];
    const converted = reached.filter((deal) => deal.has(from.stageId) && deal.has(to.stageId)).length;
    return { fromStageId: from.stageId, toStageId: to.stageId, fromReached: from.reached, converted, rate: ratio(converted, from.reached) };
  });
  return { stages: counted, steps };
}
