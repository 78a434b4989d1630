import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Position } from '@revops/event-store';
import { ReadModels, type ReadModelView } from '../../common/read-side/read-models';
import { reportPeriod } from '../../leads/queries/report-period';
import { SalesMetrics, type StageConversionReport } from '../graphql/sales-metrics.types';
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

/** What a salesMetrics answer was asked for: its period, its deals and the position to wait for. */
export interface SalesMetricsScope {
  readonly from: string;
  readonly to: string;
  readonly filter: DealFilter;
  readonly minPosition?: Position;
}

export class SalesMetricsQuery extends Query<SalesMetrics> {
  constructor(readonly scope: SalesMetricsScope) {
    super();
  }
}

/**
 * The figures of closes and open deals. Stage conversion, which reads the cohort's stays, is
 * resolved only when asked for (`StageConversionQuery`): the answer carries its scope for it.
 */
@QueryHandler(SalesMetricsQuery)
export class SalesMetricsQueryHandler implements IQueryHandler<SalesMetricsQuery> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ scope }: SalesMetricsQuery): Promise<SalesMetrics> {
    const { from, to, filter, minPosition } = scope;
    const end = periodEnd(from, to);
    const figures = await this.readModels.report('salesMetrics', reportArgs(scope), HISTORY_PROJECTIONS, minPosition, (view) =>
      salesMetricsOf(view, from, to, end, filter),
    );
    // A kept answer is shared; the scope is this request's.
    return Object.assign(new SalesMetrics(), figures, { scope });
  }
}

export class StageConversionQuery extends Query<StageConversionReport[]> {
  constructor(readonly scope: SalesMetricsScope) {
    super();
  }
}

@QueryHandler(StageConversionQuery)
export class StageConversionQueryHandler implements IQueryHandler<StageConversionQuery> {
  constructor(private readonly readModels: ReadModels) {}

  execute({ scope }: StageConversionQuery): Promise<StageConversionReport[]> {
    const { from, to, filter, minPosition } = scope;
    const end = periodEnd(from, to);
    return this.readModels.report('stageConversion', reportArgs(scope), HISTORY_PROJECTIONS, minPosition, async (view) => {
      const [pipelines, cohort] = await Promise.all([pipelinesAsOf(view, end, filter.pipelineId ?? null), stagesReachedByCohort(view, from, end, filter)]);
      return pipelines
        .filter((pipeline) => filter.pipelineId || cohort.some((group) => group.pipelineId === pipeline.pipelineId))
        .map((pipeline) => conversionOf(pipeline, cohort));
    });
  }
}

/**
 * The period's last instant, at which every figure is taken. The readers count events at or
 * before an instant; business times are whole milliseconds (the domain canonicalises them),
 * so the period's last millisecond makes `[from, to)` exact.
 */
function periodEnd(from: string, to: string): string {
  reportPeriod(from, to);
  return new Date(Date.parse(to) - 1).toISOString();
}

function reportArgs({ from, to, filter }: SalesMetricsScope) {
  return { from, to, ownerId: filter.ownerId ?? null, pipelineId: filter.pipelineId ?? null };
}

async function salesMetricsOf(view: ReadModelView, from: string, to: string, end: string, filter: DealFilter): Promise<Omit<SalesMetrics, 'scope'>> {
  const [closeGroups, open, pipelines] = await Promise.all([
    closesAsOf(view, from, end, filter),
    openDealsAsOf(view, end, filter),
    pipelinesAsOf(view, end, filter.pipelineId ?? null),
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
