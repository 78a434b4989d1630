import { leadRejectionReasons, type LeadRejectionReason } from '@revops/domain';
import { ALL_LEADS, type FirstTouchGrouping } from './first-touch';
import { largestFirst, rate, type ReportPeriod } from './report-period';

/** How many leads of a group got this verdict (and reason) as their latest in the period. */
export interface LeadDecisionCount {
  readonly key: string;
  readonly name: string | null;
  readonly decision: 'accepted' | 'rejected';
  readonly reason: LeadRejectionReason | null;
  readonly leads: number;
  /** Of those, the ones sales explained with a note. */
  readonly notes: number;
}

export interface RejectReasonCount {
  readonly reason: LeadRejectionReason;
  readonly leads: number;
  readonly notes: number;
}

export interface LeadQualityGroup {
  readonly key: string;
  readonly name: string | null;
  readonly decided: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly acceptRate: number | null;
  readonly rejectRate: number | null;
  readonly rejectReasons: readonly RejectReasonCount[];
}

export interface LeadQualityReport extends ReportPeriod {
  readonly groupBy: FirstTouchGrouping;
  readonly total: LeadQualityGroup;
  readonly groups: readonly LeadQualityGroup[];
}

/** Sales' verdicts on one group's leads: how many were accepted and rejected, and why they were rejected, commonest reason first. */
export function leadQualityGroup(key: string, name: string | null, counts: readonly LeadDecisionCount[]): LeadQualityGroup {
  const sum = (rows: readonly LeadDecisionCount[], field: 'leads' | 'notes') => rows.reduce((total, row) => total + row[field], 0);
  const accepted = sum(counts.filter((row) => row.decision === 'accepted'), 'leads');
  const rejections = counts.filter((row) => row.decision === 'rejected');
  const rejected = sum(rejections, 'leads');
  const decided = accepted + rejected;
  const rejectReasons = leadRejectionReasons
    .map((reason) => {
      const withReason = rejections.filter((row) => row.reason === reason);
      return { reason, leads: sum(withReason, 'leads'), notes: sum(withReason, 'notes') };
    })
    .filter((reason) => reason.leads > 0)
    // Stable sort: equal counts keep the domain's order of reasons.
    .sort((a, b) => b.leads - a.leads);
  return { key, name, decided, accepted, rejected, acceptRate: rate(accepted, decided), rejectRate: rate(rejected, decided), rejectReasons };
}

/** The total over every lead decided in the period, and one group per first-touch key, most decided first. */
export function leadQualityReport(
  period: ReportPeriod,
  groupBy: FirstTouchGrouping,
  counts: readonly LeadDecisionCount[],
): LeadQualityReport {
  const total = leadQualityGroup(ALL_LEADS, null, counts);
  if (groupBy === 'none') return { ...period, groupBy, total, groups: [total] };
  const byKey = new Map<string, LeadDecisionCount[]>();
  for (const row of counts) byKey.set(row.key, [...(byKey.get(row.key) ?? []), row]);
  const groups = [...byKey.entries()]
    .map(([key, rows]) => leadQualityGroup(key, rows[0].name, rows))
    .sort(largestFirst((group) => group.decided));
  return { ...period, groupBy, total, groups };
}
