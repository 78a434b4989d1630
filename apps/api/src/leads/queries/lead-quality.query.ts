import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { LeadRejectionReason } from '@revops/domain';
import { ReadModels } from '../../common/read-side/read-models';
import { leadQualityReport, type LeadQualityReport } from './lead-quality-report';
import { LeadReportQuery, leadReport } from './lead-report.query';

/** Sales' verdicts on marketing's leads given in `[from, to)`, by the lead's first touch. */
export class LeadQualityQuery extends LeadReportQuery<LeadQualityReport> {}

interface DecisionRow {
  key: string;
  name: string | null;
  decision: 'accepted' | 'rejected';
  reason: LeadRejectionReason | null;
  leads: number;
  notes: number;
}

@QueryHandler(LeadQualityQuery)
export class LeadQualityHandler implements IQueryHandler<LeadQualityQuery> {
  constructor(private readonly readModels: ReadModels) {}

  async execute(query: LeadQualityQuery): Promise<LeadQualityReport> {
    return leadReport(this.readModels, 'leadQuality', query, async ({ period, view, group }) => {
      // One verdict per lead: its latest in the period. A lead rejected and then, once reworked,
      // accepted counts as accepted, so a rate says what became of the leads, not how often sales
      // changed its mind. Of verdicts at the same instant, the one recorded last counts.
      const counts = await view.query<DecisionRow>(
        `WITH cohort AS (
           SELECT DISTINCT ON (contact_id) contact_id, decision, reason, note
             FROM ${view.table('contacts', 'lead_decisions')}
            WHERE decided_at >= $1::timestamptz AND decided_at < $2::timestamptz
            ORDER BY contact_id, decided_at DESC, commit_position DESC
         ),
         ${group.cte}
         SELECT ${group.key} AS key, ${group.name} AS name, member.decision, member.reason,
                count(*)::int AS leads, count(member.note)::int AS notes
           FROM cohort member ${group.joins}
          GROUP BY 1, 2, 3, 4`,
        [period.from, period.to],
      );
      return leadQualityReport(period, query.groupBy, counts);
    });
  }
}
