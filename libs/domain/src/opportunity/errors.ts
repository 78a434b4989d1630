import { DomainError } from '../shared/domain-error';
import type { CurrencyCode } from '../shared/money';

export const opportunityErrorCodes = [
  'OPPORTUNITY_NOT_FOUND',
  'OPPORTUNITY_ALREADY_EXISTS',
  'OPPORTUNITY_ALREADY_CLOSED',
  'OPPORTUNITY_NOT_CLOSED',
  'UNKNOWN_STAGE',
  'PIPELINE_MISMATCH',
  'CURRENCY_MISMATCH',
  'DUPLICATE_CONTACT_ROLE',
  'CLOSED_BEFORE_OPENED',
] as const;

export function opportunityNotFound(opportunityId: string): DomainError {
  return new DomainError('OPPORTUNITY_NOT_FOUND', `Opportunity ${opportunityId} does not exist`);
}

export function opportunityAlreadyExists(opportunityId: string): DomainError {
  return new DomainError('OPPORTUNITY_ALREADY_EXISTS', `Opportunity ${opportunityId} already exists`);
}

export function opportunityAlreadyClosed(opportunityId: string, outcome: 'won' | 'lost'): DomainError {
  return new DomainError('OPPORTUNITY_ALREADY_CLOSED', `Opportunity ${opportunityId} is closed ${outcome}; reopen it to change it`);
}

export function opportunityNotClosed(opportunityId: string): DomainError {
  return new DomainError('OPPORTUNITY_NOT_CLOSED', `Opportunity ${opportunityId} is open; only a closed opportunity can be reopened`);
}

export function unknownStage(stageId: string, pipelineId: string, revision: number): DomainError {
  return new DomainError('UNKNOWN_STAGE', `stageId ${stageId} is not a stage of pipeline ${pipelineId} (revision ${revision})`, 'stageId');
}

export function pipelineMismatch(opportunityId: string, expected: string, given: string): DomainError {
  return new DomainError(
    'PIPELINE_MISMATCH',
    `Opportunity ${opportunityId} runs in pipeline ${expected}, but stages of pipeline ${given} were given`,
    'pipeline.pipelineId',
  );
}

export function currencyMismatch(field: string, expected: CurrencyCode, given: CurrencyCode): DomainError {
  return new DomainError('CURRENCY_MISMATCH', `${field} is in ${given}, but the opportunity is in ${expected}`, field);
}

export function duplicateContactRole(field: string, contactId: string, role: string): DomainError {
  return new DomainError('DUPLICATE_CONTACT_ROLE', `${field} repeats contact ${contactId} as ${role}`, field);
}

export function closedBeforeOpened(opportunityId: string, openedAt: string): DomainError {
  return new DomainError('CLOSED_BEFORE_OPENED', `closedAt is before opportunity ${opportunityId} was opened (${openedAt})`, 'closedAt');
}
