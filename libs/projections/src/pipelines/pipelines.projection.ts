import type { PipelineEvent, PipelineStage } from '@revops/domain';
import type { RecordedEnvelope } from '@revops/event-store';

/** A pipeline as readers see it: its name and the revision whose stages apply now. */
export interface PipelineRow {
  readonly pipelineId: string;
  /** Null when the batch only revised stages; the writer keeps the stored name. */
  readonly name: string | null;
  readonly revision: number;
  readonly definedAt: string | null;
  readonly revisedAt: string | null;
}

/**
 * One stage of one revision. Every revision's stages are kept, so a report about a past
 * date reads the stages and probabilities that applied then.
 */
export interface PipelineStageRow {
  readonly pipelineId: string;
  readonly revision: number;
  readonly stageId: string;
  readonly name: string;
  readonly order: number;
  readonly winProbability: number;
}

/**
 * When a revision took effect in business time. A report about a past date uses the stages
 * of the revision in force then: the one with the latest `effectiveAt` at or before it.
 */
export interface PipelineRevisionRow {
  readonly pipelineId: string;
  readonly revision: number;
  readonly effectiveAt: string;
}

export interface PipelineChanges {
  readonly pipelines: readonly PipelineRow[];
  readonly stages: readonly PipelineStageRow[];
  readonly revisions: readonly PipelineRevisionRow[];
}

/** Folds a batch of pipeline events into one upsert per pipeline and the stage rows of each revision. */
export function pipelineChanges(events: readonly RecordedEnvelope[]): PipelineChanges {
  const pipelines = new Map<string, PipelineRow>();
  const stages = new Map<string, PipelineStageRow>();
  const revisions = new Map<string, PipelineRevisionRow>();
  const addStages = (pipelineId: string, revision: number, list: readonly PipelineStage[], effectiveAt: string) => {
    revisions.set(`${pipelineId}\u0000${revision}`, { pipelineId, revision, effectiveAt });
    for (const stage of list) {
      stages.set(`${pipelineId}\u0000${revision}\u0000${stage.stageId}`, {
        pipelineId,
        revision,
        stageId: stage.stageId,
        name: stage.name,
        order: stage.order,
        winProbability: stage.winProbability,
      });
    }
  };

  for (const envelope of events) {
    const event = envelope as unknown as PipelineEvent & { metadata: { occurredAt: string } };
    const occurredAt = envelope.metadata.occurredAt;
    const previous = pipelines.get(event.data.pipelineId);
    switch (event.type) {
      case 'PipelineDefined':
        pipelines.set(event.data.pipelineId, {
          pipelineId: event.data.pipelineId,
          name: event.data.name,
          revision: Math.max(event.data.revision, previous?.revision ?? 0),
          definedAt: occurredAt,
          revisedAt: previous?.revisedAt ?? null,
        });
        addStages(event.data.pipelineId, event.data.revision, event.data.stages, occurredAt);
        break;
      case 'StagesRevised':
        pipelines.set(event.data.pipelineId, {
          pipelineId: event.data.pipelineId,
          name: previous?.name ?? null,
          revision: Math.max(event.data.revision, previous?.revision ?? 0),
          definedAt: previous?.definedAt ?? null,
          revisedAt: occurredAt,
        });
        addStages(event.data.pipelineId, event.data.revision, event.data.stages, occurredAt);
        break;
      default:
        assertNever(event);
    }
  }
  return { pipelines: [...pipelines.values()], stages: [...stages.values()], revisions: [...revisions.values()] };
}

// Anything else on a pipeline stream is an event this version does not know: failing stalls
// the projection with the event named, rather than leaving a pipeline silently stale.
function assertNever(event: never): never {
  throw new Error(`pipelines projection cannot apply event type ${(event as { type: string }).type}`);
}
