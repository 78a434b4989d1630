import { Query } from '@nestjs/cqrs';
import type { Position } from '@revops/event-store';
import type { ReadModels } from '../../common/read-side/read-models';
import { firstTouchGroup, firstTouchProjections, type FirstTouchGrouping } from './first-touch';
import { reportPeriod } from './report-period';

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

/** Checks the period before anything waits, then opens the read models the grouping needs and spells the grouping in SQL. */
export async function openLeadReport(readModels: ReadModels, { from, to, groupBy, minPosition }: LeadReportQuery<unknown>) {
  const period = reportPeriod(from, to);
  const view = await readModels.open(firstTouchProjections(groupBy), minPosition);
  return { period, view, group: firstTouchGroup(view, groupBy) };
}
