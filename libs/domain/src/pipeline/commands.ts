import type { UtcTimestamp } from '../shared/time';
import type { PipelineStage } from './events';

export type DefinePipeline = {
  type: 'DefinePipeline';
  data: { pipelineId: string; name: string; stages: readonly PipelineStage[]; definedAt: UtcTimestamp };
};

/** Replaces the whole stage list; stages left out are retired for new moves. */
export type ReviseStages = {
  type: 'ReviseStages';
  data: { pipelineId: string; stages: readonly PipelineStage[]; revisedAt: UtcTimestamp };
};

export type PipelineCommand = DefinePipeline | ReviseStages;
