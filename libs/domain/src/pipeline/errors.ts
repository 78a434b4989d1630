import { DomainError } from '../shared/domain-error';

export const pipelineErrorCodes = [
  'PIPELINE_NOT_FOUND',
  'PIPELINE_ALREADY_EXISTS',
  'PIPELINE_HAS_NO_STAGES',
  'DUPLICATE_STAGE_ID',
  'DUPLICATE_STAGE_ORDER',
] as const;

export function pipelineNotFound(pipelineId: string): DomainError {
  return new DomainError('PIPELINE_NOT_FOUND', `Pipeline ${pipelineId} does not exist`);
}

export function pipelineAlreadyExists(pipelineId: string): DomainError {
  return new DomainError('PIPELINE_ALREADY_EXISTS', `Pipeline ${pipelineId} already exists`);
}

export function pipelineHasNoStages(): DomainError {
  return new DomainError('PIPELINE_HAS_NO_STAGES', 'stages must hold at least one open stage', 'stages');
}

export function duplicateStageId(field: string, stageId: string): DomainError {
  return new DomainError('DUPLICATE_STAGE_ID', `${field} repeats stage id ${stageId}`, field);
}

export function duplicateStageOrder(field: string, order: number): DomainError {
  return new DomainError('DUPLICATE_STAGE_ORDER', `${field} repeats order ${order}; each stage needs its own position`, field);
}
