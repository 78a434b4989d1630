import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Position } from '@revops/event-store';
import { ReadModels, type ReadModelView } from '../../common/read-side/read-models';
import type { PipelineAmount, PipelineReport } from '../graphql/pipeline-report.types';
import { pipelineFigures, type CurrencyFigures } from '../pipeline-figures';
import { HISTORY_PROJECTIONS, openDealsAsOf, pipelinesAsOf } from '../pipeline-history.reader';

/** Null for a pipeline that does not exist, or did not yet at `asOf` (null: now). */
export class PipelineQuery extends Query<PipelineReport | null> {
  constructor(
    readonly pipelineId: string,
    readonly asOf: string | null,
    readonly ownerId: string | null,
    readonly minPosition?: Position,
  ) {
    super();
  }
}

@QueryHandler(PipelineQuery)
export class PipelineQueryHandler implements IQueryHandler<PipelineQuery> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ pipelineId, asOf, ownerId, minPosition }: PipelineQuery): Promise<PipelineReport | null> {
    // A past instant's answer is kept while the read models stand still; now moves on its own.
    if (asOf === null) {
      return pipelineAt(await this.readModels.open(HISTORY_PROJECTIONS, minPosition), pipelineId, new Date().toISOString(), ownerId);
    }
    const args = { pipelineId, asOf, ownerId };
    return this.readModels.report('pipeline', args, HISTORY_PROJECTIONS, minPosition, (view) => pipelineAt(view, pipelineId, asOf, ownerId));
  }
}

async function pipelineAt(view: ReadModelView, pipelineId: string, asOf: string, ownerId: string | null): Promise<PipelineReport | null> {
  const [[pipeline], open] = await Promise.all([pipelinesAsOf(view, asOf, pipelineId), openDealsAsOf(view, asOf, { pipelineId, ownerId })]);
  if (!pipeline) return null;
  const figures = pipelineFigures(pipeline.stages, open);
  return {
    pipelineId,
    name: pipeline.name,
    asOf,
    revision: pipeline.revision.revision,
    revisionEffectiveAt: pipeline.revision.effectiveAt,
    stages: figures.stages.map(({ stageId, name, order, winProbability, retired, count, amounts }) => ({
      stageId,
      name,
      order,
      winProbability,
      retired,
      count,
      amounts: amounts.map(pipelineAmount),
    })),
    totals: { count: figures.count, amounts: figures.amounts.map(pipelineAmount) },
  };
}

export function pipelineAmount(figures: CurrencyFigures): PipelineAmount {
  return {
    currency: figures.currency,
    count: figures.count,
    amountMinor: Number(figures.amountMinor),
    weightedAmountMinor: Number(figures.weightedAmountMinor),
  };
}
