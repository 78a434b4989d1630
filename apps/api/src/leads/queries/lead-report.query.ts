import { Query } from '@nestjs/cqrs';
import type { Position } from '@revops/event-store';
import type { ReadModels, ReadModelView } from '../../common/read-side/read-models';
import { firstTouchGroup, firstTouchProjections, type FirstTouchGrouping } from './first-touch';
import { reportPeriod, type ReportPeriod } from './report-period';

/** What every lead report is asked: a period `[from, to)`, a grouping by first touch, and a position to wait for. */
export abstract class LeadReportQuery<Report> extends Query<Report> {
  constructor(
    readonly from: string,
    readonly to: string,
    readonly groupBy: FirstTouchGrouping,
    readonly minPosition?: Position,
  ) {
    super();
  }
}

/**
 * Checks the period before anything waits, then computes the report over the read models the
 * grouping needs, with the grouping spelled in SQL; its answer is kept per read-model state.
 */
export function leadReport<Report>(
  readModels: ReadModels,
  report: string,
  { from, to, groupBy, minPosition }: LeadReportQuery<Report>,
  compute: (parts: { period: ReportPeriod; view: ReadModelView; group: ReturnType<typeof firstTouchGroup> }) => Promise<Report>,
): Promise<Report> {
  const period = reportPeriod(from, to);
  return readModels.report(report, { from, to, groupBy }, firstTouchProjections(groupBy), minPosition, (view) =>
    compute({ period, view, group: firstTouchGroup(view, groupBy) }),
  );
}
