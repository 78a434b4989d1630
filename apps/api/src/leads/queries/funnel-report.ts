import type { LifecycleStage } from '@revops/domain';
import { ALL_LEADS, type FirstTouchGrouping } from './first-touch';
import { largestFirst, rate, type ReportPeriod } from './report-period';

/** The stages a lead moves through on the way to revenue, in funnel order. */
export const funnelStages = ['lead', 'mql', 'sql', 'opportunity', 'customer'] as const satisfies readonly LifecycleStage[];
export type FunnelStage = (typeof funnelStages)[number];

/** What the SQL counts for one group (or, with a null key, for the whole cohort). */
export interface FunnelCounts {
  readonly key: string | null;
  readonly name: string | null;
  /** Contacts that reached each of `funnelStages`, in order. */
  readonly reached: readonly number[];
  /** Per step (lead → MQL, MQL → SQL, …): the median days and how many contacts were timed. */
  readonly medianDays: readonly (number | null)[];
  readonly timed: readonly number[];
}

export interface FunnelStageCount {
  readonly stage: FunnelStage;
  readonly contacts: number;
}

export interface FunnelStep {
  readonly from: FunnelStage;
  readonly to: FunnelStage;
  readonly conversionRate: number | null;
  readonly medianDays: number | null;
  readonly timedContacts: number;
}

export interface FunnelGroup {
  readonly key: string;
  readonly name: string | null;
  readonly stages: readonly FunnelStageCount[];
  readonly steps: readonly FunnelStep[];
  readonly leadToCustomerRate: number | null;
}

export interface FunnelReport extends ReportPeriod {
  readonly groupBy: FirstTouchGrouping;
  readonly total: FunnelGroup;
  readonly groups: readonly FunnelGroup[];
}

const emptyCounts: FunnelCounts = {
  key: null,
  name: null,
  reached: funnelStages.map(() => 0),
  medianDays: funnelStages.slice(1).map(() => null),
  timed: funnelStages.slice(1).map(() => 0),
};

/** Counts, step conversions (reached the next stage / reached this one) and the median time of each step. */
export function funnelGroup(counts: FunnelCounts): FunnelGroup {
  const reached = (index: number) => counts.reached[index] ?? 0;
  const last = funnelStages.length - 1;
  return {
    key: counts.key ?? ALL_LEADS,
    name: counts.name,
    stages: funnelStages.map((stage, index) => ({ stage, contacts: reached(index) })),
    steps: funnelStages.slice(1).map((to, index) => ({
      from: funnelStages[index],
      to,
      conversionRate: rate(reached(index + 1), reached(index)),
      medianDays: counts.medianDays[index] ?? null,
      timedContacts: counts.timed[index] ?? 0,
    })),
    leadToCustomerRate: rate(reached(last), reached(0)),
  };
}

/**
 * The cohort's total (the row with a null key; zeros when the cohort is empty) and its groups,
 * largest first. Ungrouped, the one group is the total.
 */
export function funnelReport(period: ReportPeriod, groupBy: FirstTouchGrouping, rows: readonly FunnelCounts[]): FunnelReport {
  const total = funnelGroup(rows.find((row) => row.key === null) ?? emptyCounts);
  const groups =
    groupBy === 'none'
      ? [total]
      : rows
          .filter((row) => row.key !== null)
          .map(funnelGroup)
          .sort(largestFirst((group) => group.stages[0].contacts));
  return { ...period, groupBy, total, groups };
}
