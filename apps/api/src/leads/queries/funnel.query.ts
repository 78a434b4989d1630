import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ReadModels } from '../../common/read-side/read-models';
import { funnelReport, funnelStages, type FunnelReport } from './funnel-report';
import { LeadReportQuery, leadReport } from './lead-report.query';

/** The funnel of the leads that entered it in `[from, to)`, followed to today. */
export class FunnelQuery extends LeadReportQuery<FunnelReport> {}

interface FunnelRow {
  total: boolean;
  key: string;
  name: string | null;
  reached: number[];
  median_days: (number | null)[];
  timed: number[];
}

const steps = funnelStages.slice(1).map((to, index) => ({ from: funnelStages[index], to }));
const enteredAt = (stage: string) => `entered_${stage}`;
// Stage names come from the domain's list, never from the caller, so they may be spelled into the SQL.
const firstEntries = funnelStages.map((stage) => `MIN(s.first_entered_at) FILTER (WHERE s.stage = '${stage}') AS ${enteredAt(stage)}`);
const reachedCounts = funnelStages.map((_, index) => `count(*) FILTER (WHERE furthest >= ${index + 1})`);
const timedStep = ({ from, to }: (typeof steps)[number]) => `${enteredAt(to)} >= ${enteredAt(from)}`;
const stepDays = ({ from, to }: (typeof steps)[number]) => `EXTRACT(EPOCH FROM ${enteredAt(to)} - ${enteredAt(from)})::float8 / 86400`;
const stepMedians = steps.map((step) => `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${stepDays(step)}) FILTER (WHERE ${timedStep(step)})`);
const stepsTimed = steps.map((step) => `count(*) FILTER (WHERE ${timedStep(step)})`);

@QueryHandler(FunnelQuery)
export class FunnelHandler implements IQueryHandler<FunnelQuery> {
  constructor(private readonly readModels: ReadModels) {}

  async execute(query: FunnelQuery): Promise<FunnelReport> {
    return leadReport(this.readModels, 'funnel', query, async ({ period, view, group }) => {
      // A contact counts at every stage up to the furthest it ever reached (a lead that skipped to
      // SQL was an MQL too), while a step is timed only by contacts that have entered both of its
      // stages, the later one after the earlier one: a stage skipped, or first entered on the way
      // back from a later one, says nothing about how long the step takes.
      const rows = await view.query<FunnelRow>(
        `WITH cohort AS (
           SELECT s.contact_id,
                  ${firstEntries.join(', ')},
                  MAX(array_position($3::text[], s.stage)) AS furthest
             FROM ${view.table('contacts', 'contact_lifecycle_stages')} s
             JOIN ${view.table('contacts', 'contacts')} c ON c.contact_id = s.contact_id
            WHERE s.stage = ANY($3::text[])
              -- A contact merged into another is its duplicate: counting both would count one person twice.
              AND c.merged_into_contact_id IS NULL
            GROUP BY s.contact_id
            -- Entering any funnel stage makes a contact a lead, so one that skipped the lead stage joins the cohort too.
           HAVING MIN(s.first_entered_at) >= $1::timestamptz AND MIN(s.first_entered_at) < $2::timestamptz
         ),
         ${group.cte},
         grouped AS (
           SELECT member.*, ${group.key} AS group_key, ${group.name} AS group_name
             FROM cohort member ${group.joins}
         )
         SELECT GROUPING(group_key, group_name) <> 0 AS total, group_key AS key, group_name AS name,
                ARRAY[${reachedCounts.join(', ')}]::int[] AS reached,
                ARRAY[${stepMedians.join(', ')}]::float8[] AS median_days,
                ARRAY[${stepsTimed.join(', ')}]::int[] AS timed
           FROM grouped
          GROUP BY GROUPING SETS ((), (group_key, group_name))`,
        [period.from, period.to, funnelStages],
      );
      return funnelReport(
        period,
        query.groupBy,
        rows.map((row) => ({
          key: row.total ? null : row.key,
          name: row.name,
          reached: row.reached,
          medianDays: row.median_days,
          timed: row.timed,
        })),
      );
    });
  }
}
