import { DomainError } from '../shared/domain-error';
import type { LifecycleStage } from './lifecycle';

export const contactErrorCodes = [
  'CONTACT_NOT_FOUND',
  'CONTACT_ALREADY_EXISTS',
  'CONTACT_MERGED',
  'CONTACT_SELF_MERGE',
  'INVALID_LIFECYCLE_TRANSITION',
  'LEAD_NOT_HANDED_TO_SALES',
] as const;

export function contactNotFound(contactId: string): DomainError {
  return new DomainError('CONTACT_NOT_FOUND', `Contact ${contactId} does not exist`);
}

export function contactAlreadyExists(contactId: string): DomainError {
  return new DomainError('CONTACT_ALREADY_EXISTS', `Contact ${contactId} already exists`);
}

export function contactMerged(contactId: string, survivorContactId: string): DomainError {
  return new DomainError('CONTACT_MERGED', `Contact ${contactId} was merged into ${survivorContactId}; send commands to the survivor`);
}

export function contactSelfMerge(contactId: string): DomainError {
  return new DomainError('CONTACT_SELF_MERGE', `Contact ${contactId} cannot be merged with itself`);
}

export function invalidLifecycleTransition(from: LifecycleStage, to: LifecycleStage, why: string): DomainError {
  return new DomainError('INVALID_LIFECYCLE_TRANSITION', `Cannot move from ${from} to ${to}: ${why}`, 'to');
}

export function leadNotHandedToSales(contactId: string, stage: LifecycleStage): DomainError {
  return new DomainError(
    'LEAD_NOT_HANDED_TO_SALES',
    `Contact ${contactId} is ${stage}; sales accepts or rejects only MQLs and SQLs`,
  );
}
