import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { QueryBus } from '@nestjs/cqrs';
import { SalesMetrics, StageConversionReport } from './graphql/sales-metrics.types';
import { StageConversionQuery } from './queries/sales-metrics.query';

/** The parts of salesMetrics read only when asked for. */
@Resolver(() => SalesMetrics)
export class SalesMetricsResolver {
  constructor(private readonly queryBus: QueryBus) {}

  @ResolveField(() => [StageConversionReport], {
    description: 'Per pipeline with deals in the cohort (or the one asked for); read from the stays of the cohort only when asked for',
  })
  stageConversion(@Parent() metrics: SalesMetrics): Promise<StageConversionReport[]> {
    return this.queryBus.execute(new StageConversionQuery(metrics.scope));
  }
}
