import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { RuleBasedModelName } from '@revops/attribution';
import { ReadModels, type ReadModelView } from '../../common/read-side/read-models';
import { answerArgs } from './attribution.query';
import type { AttributionRequest } from './attribution-request';
import { attributionReport, REPORT_PROJECTIONS, type AttributionFigures } from './attribution-report';

export interface CampaignPerformanceRow {
  readonly campaignId: string;
  readonly name: string | null;
  readonly spendMinor: number;
  readonly leads: number;
  readonly mqls: number;
  readonly opportunities: number;
  readonly pipelineMinor: number;
  readonly wonDeals: number;
  readonly revenueMinor: number;
  readonly roas: number | null;
  readonly roi: number | null;
  readonly costPerLeadMinor: number | null;
  readonly cacMinor: number | null;
}

export interface CampaignPerformance {
  readonly model: RuleBasedModelName;
  readonly from: string;
  readonly to: string;
  readonly currency: string;
  readonly rows: readonly CampaignPerformanceRow[];
  readonly total: CampaignPerformanceRow;
}

/** The pipeline-basis attribution report by campaign, read as a campaign's funnel: spend → leads → MQLs → pipeline → revenue. */
export class CampaignPerformanceQuery extends Query<CampaignPerformance> {
  constructor(readonly request: AttributionRequest) {
    super();
  }
}

@QueryHandler(CampaignPerformanceQuery)
export class CampaignPerformanceHandler implements IQueryHandler<CampaignPerformanceQuery> {
  constructor(private readonly readModels: ReadModels) {}

  execute({ request }: CampaignPerformanceQuery): Promise<CampaignPerformance> {
    return this.readModels.report('campaignPerformance', answerArgs(request), REPORT_PROJECTIONS, request.minPosition, (view) => performanceOf(view, request));
  }
}

async function performanceOf(view: ReadModelView, request: CampaignPerformanceQuery['request']): Promise<CampaignPerformance> {
  const report = await attributionReport(view, { ...request, basis: 'PIPELINE', groupBy: 'campaign' });
  return {
    model: report.model,
    from: report.from,
    to: report.to,
    currency: report.currency,
    rows: report.rows.map((row) => performance(row.key, row.name, row)),
    total: performance('all', null, report.total),
  };
}

function performance(campaignId: string, name: string | null, figures: AttributionFigures): CampaignPerformanceRow {
  return {
    campaignId,
    name,
    spendMinor: figures.spendMinor,
    leads: figures.leads,
    mqls: figures.mqls,
    opportunities: figures.conversions,
    pipelineMinor: figures.amountMinor,
    wonDeals: figures.customers,
    revenueMinor: figures.revenueMinor,
    roas: figures.roas,
    roi: figures.roi,
    costPerLeadMinor: figures.costPerLeadMinor,
    cacMinor: figures.cacMinor,
  };
}
