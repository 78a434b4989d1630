import { assertNever, type Decider } from '../shared/decider';
import { invalidField } from '../shared/domain-error';
import { utcTimestamp } from '../shared/time';
import { integerInRange, requiredId, requiredText } from '../shared/validation';
import type { DefinePipeline, PipelineCommand, ReviseStages } from './commands';
import { duplicateStageId, duplicateStageOrder, pipelineAlreadyExists, pipelineHasNoStages, pipelineNotFound } from './errors';
import type { PipelineEvent, PipelineStage } from './events';
import { evolve, initial, type PipelineState } from './state';

type DefinedPipeline = Extract<PipelineState, { status: 'defined' }>;

export const MAX_STAGES = 50;

function validStages(input: readonly PipelineStage[]): PipelineStage[] {
  if (!Array.isArray(input) || input.length === 0) {
    throw pipelineHasNoStages();
  }
  if (input.length > MAX_STAGES) {
    throw invalidField('VALUE_OUT_OF_RANGE', 'stages', `must hold at most ${MAX_STAGES} stages`);
  }
  const stages = input.map((stage, index) => ({
    stageId: requiredId(stage?.stageId, `stages[${index}].stageId`),
    name: requiredText(stage?.name, `stages[${index}].name`, 100),
    order: integerInRange(stage?.order, `stages[${index}].order`, 0, 10_000),
    winProbability: integerInRange(stage?.winProbability, `stages[${index}].winProbability`, 0, 100),
  }));
  stages.forEach((stage, index) => {
    const earlier = stages.slice(0, index);
    if (earlier.some((other) => other.stageId === stage.stageId)) {
      throw duplicateStageId(`stages[${index}].stageId`, stage.stageId);
    }
    if (earlier.some((other) => other.order === stage.order)) {
      throw duplicateStageOrder(`stages[${index}].order`, stage.order);
    }
  });
  return stages.sort((a, b) => a.order - b.order);
}

function sameStages(a: readonly PipelineStage[], b: readonly PipelineStage[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (stage, index) =>
        stage.stageId === b[index].stageId &&
        stage.name === b[index].name &&
        stage.order === b[index].order &&
        stage.winProbability === b[index].winProbability,
    )
  );
}

function definePipeline({ data }: DefinePipeline, state: PipelineState): PipelineEvent[] {
  if (state.status !== 'unknown') {
    throw pipelineAlreadyExists(data.pipelineId);
  }
  return [
    {
      type: 'PipelineDefined',
      data: {
        pipelineId: requiredId(data.pipelineId, 'pipelineId'),
        name: requiredText(data.name, 'name', 100),
        revision: 1,
        stages: validStages(data.stages),
        definedAt: utcTimestamp(data.definedAt, 'definedAt'),
      },
    },
  ];
}

function reviseStages({ data }: ReviseStages, pipeline: DefinedPipeline): PipelineEvent[] {
  const stages = validStages(data.stages);
  const revisedAt = utcTimestamp(data.revisedAt, 'revisedAt');
  if (sameStages(stages, pipeline.stages)) {
    return [];
  }
  return [{ type: 'StagesRevised', data: { pipelineId: pipeline.pipelineId, revision: pipeline.revision + 1, stages, revisedAt } }];
}

export function decide(command: PipelineCommand, state: PipelineState): PipelineEvent[] {
  switch (command.type) {
    case 'DefinePipeline':
      return definePipeline(command, state);
    case 'ReviseStages':
      if (state.status !== 'defined') {
        throw pipelineNotFound(command.data.pipelineId);
      }
      return reviseStages(command, state);
    default:
      return assertNever(command);
  }
}

export const pipelineDecider: Decider<PipelineCommand, PipelineEvent, PipelineState> = { initialState: initial, evolve, decide };
