import { Module } from '@nestjs/common';
import { DefinePipelineHandler } from './commands/define-pipeline.handler';
import { PipelineStagesReader } from './pipeline-stages.reader';
import { PipelineResolver } from './pipeline.resolver';

/** Sales pipelines: their stages and win probabilities. */
@Module({
  providers: [PipelineResolver, DefinePipelineHandler, PipelineStagesReader],
  exports: [PipelineStagesReader],
})
export class PipelineModule {}
