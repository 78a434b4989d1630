import { Module } from '@nestjs/common';
import { DefinePipelineHandler } from './commands/define-pipeline.handler';
import { RevisePipelineStagesHandler } from './commands/revise-pipeline-stages.handler';
import { PipelineStagesReader } from './pipeline-stages.reader';
import { PipelineResolver } from './pipeline.resolver';
import { PipelineQueryHandler } from './queries/pipeline.query';
import { SalesMetricsQueryHandler, StageConversionQueryHandler } from './queries/sales-metrics.query';
import { SalesMetricsResolver } from './sales-metrics.resolver';

/** Sales pipelines: their stages and win probabilities, and the pipeline and sales metrics read from history. */
@Module({
  providers: [
    PipelineResolver,
    DefinePipelineHandler,
    RevisePipelineStagesHandler,
    PipelineStagesReader,
    PipelineQueryHandler,
    SalesMetricsQueryHandler,
    SalesMetricsResolver,
    StageConversionQueryHandler,
  ],
  exports: [PipelineStagesReader],
})
export class PipelineModule {}
