import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Position } from '@revops/event-store';
import { ReadModels, type ReadModelView } from '../../common/read-side/read-models';
import { reportPeriod } from '../../leads/queries/report-period';
import type { SalesMetrics, StageConversionReport } from '../graphql/sales-metrics.types';
import { addByCurrency, pipelineFigures } from '../pipeline-figures';
import {
  closesAsOf,
  HISTORY_PROJECTIONS,
  openDealsAsOf,
  pipelinesAsOf,
  stagesReachedByCohort,
  type DealFilter,
  type PipelineAsOf,
} from '../pipeline-history.reader';
import { closeMetrics, stageConversion, velocityByCurrency, type StagesReached } from '../sales-metrics';
import { pipelineAmount } from './pipeline.query';

export class SalesMetricsQuery extends Query<SalesMetrics> {
  constructor(
    readonly from: string,
    readonly to: string,
    readonly filter: DealFilter,
    readonly minPosition?: Position,
  ) {
    super();
  }
}

@QueryHandler(SalesMetricsQuery)
export class SalesMetricsQueryHandler implements IQueryHandler<SalesMetricsQuery> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ from, to, filter, minPosition }: SalesMetricsQuery): Promise<SalesMetrics> {
    reportPeriod(from, to);
    // The readers count events at or before an instant; business times are whole milliseconds
    // (the domain canonicalises them), so the period's last instant makes `[from, to)` exact.
    const end = new Date(Date.parse(to) - 1).toISOString();
    const args = { from, to, ownerId: filter.ownerId ?? null, pipelineId: filter.pipelineId ?? null };
    return this.readModels.report('salesMetrics', args, HISTORY_PROJECTIONS, minPosition, (view) => salesMetricsOf(view, from, to, end, filter));
  }
}

async function salesMetricsOf(view: ReadModelView, from: string, to: string, end: string, filter: DealFilter): Promise<SalesMetrics> {
  const [closeGroups, open, pipelines, cohort] = await Promise.all([
    closesAsOf(view, from, end, filter),
    openDealsAsOf(view, end, filter),
    pipelinesAsOf(view, end, filter.pipelineId ?? null),
    stagesReachedByCohort(view, from, end, filter),
  ]);
  const closes = closeMetrics(closeGroups);

  const weighted = addByCurrency(
    pipelines.flatMap(
      (pipeline) => pipelineFigures(pipeline.stages, open.filter((group) => group.pipelineId === pipeline.pipelineId)).amounts,
    ),
  );
  return {
    from,
    to,
    won: closes.won,
    lost: closes.lost,
    winRate: closes.winRate,
    averageDealSize: closes.dealSizes.map(({ currency, wonCount, wonAmountMinor, average }) => ({
      currency,
      wonCount,
      wonAmountMinor: Number(wonAmountMinor),
      averageDealSizeMinor: Math.round(average),
    })),
    salesCycle: closes.salesCycle,
    openCount: open.reduce((total, group) => total + group.count, 0),
    stageConversion: pipelines
      .filter((pipeline) => filter.pipelineId || cohort.some((group) => group.pipelineId === pipeline.pipelineId))
      .map((pipeline) => conversionOf(pipeline, cohort)),
    velocity: velocityByCurrency(open, closes).map(({ currency, openCount, perDay }) => ({
      currency,
      openCount,
      minorPerDay: perDay === null ? null : Math.round(perDay),
    })),
    weightedPipeline: weighted.map(pipelineAmount),
  };
}

function conversionOf(pipeline: PipelineAsOf, cohort: ReadonlyArray<StagesReached & { pipelineId: string }>): StageConversionReport {
  const groups = cohort.filter((group) => group.pipelineId === pipeline.pipelineId);
  const { stages, steps } = stageConversion(pipeline.stages.current, groups);
  return {
    pipelineId: pipeline.pipelineId,
    revision: pipeline.revision.revision,
    cohortCount: groups.reduce((total, group) => total + group.deals, 0),
    stages: stages.map(({ stageId, name, order, reached }) => ({ stageId, name, order, reached })),
    steps: [...steps],
  };
}
