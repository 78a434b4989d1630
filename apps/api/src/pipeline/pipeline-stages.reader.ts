import { Injectable } from '@nestjs/common';
import { pipelineDecider, pipelineStagesOf, pipelineStreamName, type PipelineStages } from '@revops/domain';
import { EventStore } from '@revops/event-store';
import { currentState } from '../common/stream-reads';

/**
 * Opportunity commands are checked against their pipeline's current stages; the
 * opportunity decider stays single-stream because the handler reads them first.
 */
@Injectable()
export class PipelineStagesReader {
  constructor(private readonly eventStore: EventStore) {}

  /** Throws PIPELINE_NOT_FOUND for a pipeline that was never defined. */
  async currentStages(pipelineId: string): Promise<PipelineStages> {
    const state = await currentState(this.eventStore, pipelineStreamName(pipelineId), pipelineDecider);
    return pipelineStagesOf(state, pipelineId);
  }
}
