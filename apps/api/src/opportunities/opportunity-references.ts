import { Injectable } from '@nestjs/common';
import {
  accountNotFound,
  accountStreamName,
  contactNotFound,
  contactStreamName,
  opportunityNotFound,
  opportunityStreamName,
  type OpportunityOpened,
  type PipelineStages,
} from '@revops/domain';
import { EventStore } from '@revops/event-store';
import { firstEventOf } from '../common/stream-reads';
import { PipelineStagesReader } from '../pipeline/pipeline-stages.reader';

/**
 * The facts of other aggregates an opportunity command depends on, read before the
 * opportunity decides. Streams are never deleted, so "it exists" stays true once read.
 */
@Injectable()
export class OpportunityReferences {
  constructor(
    private readonly eventStore: EventStore,
    private readonly pipelines: PipelineStagesReader,
  ) {}

  /**
   * The current stages of the opportunity's own pipeline. An opportunity never changes
   * pipeline, so its opening event says which one to read.
   */
  async stagesFor(opportunityId: string): Promise<PipelineStages> {
    const opened = await firstEventOf(this.eventStore, opportunityStreamName(opportunityId));
    if (opened === null) throw opportunityNotFound(opportunityId);
    return this.pipelines.currentStages((opened.data as OpportunityOpened['data']).pipelineId);
  }

  stagesOfPipeline(pipelineId: string): Promise<PipelineStages> {
    return this.pipelines.currentStages(pipelineId);
  }

  async requireAccount(accountId: string): Promise<void> {
    if ((await firstEventOf(this.eventStore, accountStreamName(accountId))) === null) throw accountNotFound(accountId);
  }

  async requireContacts(contactIds: readonly string[]): Promise<void> {
    const unique = [...new Set(contactIds)];
    const found = await Promise.all(unique.map((contactId) => firstEventOf(this.eventStore, contactStreamName(contactId))));
    const missing = unique.find((_, index) => found[index] === null);
    if (missing !== undefined) throw contactNotFound(missing);
  }
}
