import { assertNever } from '../shared/decider';
import { pipelineNotFound } from './errors';
import type { PipelineEvent, PipelineStage } from './events';

export type PipelineState =
  | { readonly status: 'unknown' }
  | { readonly status: 'defined'; readonly pipelineId: string; readonly revision: number; readonly stages: readonly PipelineStage[] };

/**
 * The stages an opportunity command is checked against. The handler loads
 * the pipeline first and passes this along, which keeps the opportunity
 * decider pure and single-stream.
 */
export type PipelineStages = {
  readonly pipelineId: string;
  readonly revision: number;
  readonly stages: readonly PipelineStage[];
};

export function initial(): PipelineState {
  return { status: 'unknown' };
}

export function evolve(state: PipelineState, event: PipelineEvent): PipelineState {
  switch (event.type) {
    case 'PipelineDefined':
      return { status: 'defined', pipelineId: event.data.pipelineId, revision: event.data.revision, stages: event.data.stages };
    case 'StagesRevised':
      return state.status === 'defined' ? { ...state, revision: event.data.revision, stages: event.data.stages } : state;
    default:
      return assertNever(event);
  }
}

export function pipelineStagesOf(state: PipelineState, pipelineId: string): PipelineStages {
  if (state.status !== 'defined') {
    throw pipelineNotFound(pipelineId);
  }
  return { pipelineId: state.pipelineId, revision: state.revision, stages: state.stages };
}
