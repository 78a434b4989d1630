import type { UtcTimestamp } from '../shared/time';

/**
 * An open stage of a sales process. Closed won and closed lost are not
 * stages: they are outcomes of an opportunity (ClosedWon, ClosedLost), so a
 * pipeline can never be defined with a stage that silently counts as closed.
 */
export type PipelineStage = {
  readonly stageId: string;
  readonly name: string;
  /** Position in the sales process; lower comes first. */
  readonly order: number;
  /** Chance, in percent, that a deal in this stage is won; weights the pipeline. */
  readonly winProbability: number;
};

export type PipelineDefined = {
  type: 'PipelineDefined';
  data: {
    pipelineId: string;
    name: string;
    /** Always 1; every StagesRevised adds one. */
    revision: number;
    /** Sorted by order. */
    stages: readonly PipelineStage[];
    definedAt: UtcTimestamp;
  };
};

/**
 * The complete new stage list. Earlier revisions stay in the stream, and
 * opportunity events name the revision they were decided against, so history
 * is always read with the stages that applied at the time.
 */
export type StagesRevised = {
  type: 'StagesRevised';
  data: {
    pipelineId: string;
    revision: number;
    stages: readonly PipelineStage[];
    revisedAt: UtcTimestamp;
  };
};

export type PipelineEvent = PipelineDefined | StagesRevised;

export const pipelineEventSchemaVersions = {
  PipelineDefined: 1,
  StagesRevised: 1,
} as const satisfies Record<PipelineEvent['type'], number>;
