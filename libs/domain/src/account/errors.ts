import { DomainError } from '../shared/domain-error';

export const accountErrorCodes = ['ACCOUNT_NOT_FOUND', 'ACCOUNT_ALREADY_EXISTS', 'FREE_MAIL_DOMAIN', 'EMAIL_DOMAIN_MISMATCH'] as const;

export function accountNotFound(accountId: string): DomainError {
  return new DomainError('ACCOUNT_NOT_FOUND', `Account ${accountId} does not exist`);
}

export function accountAlreadyExists(accountId: string): DomainError {
  return new DomainError('ACCOUNT_ALREADY_EXISTS', `Account ${accountId} already exists`);
}

export function freeMailDomain(field: string, domain: string): DomainError {
  return new DomainError('FREE_MAIL_DOMAIN', `${field} is at ${domain}, a free-mail provider, which identifies no company`, field);
}

export function emailDomainMismatch(emailDomain: string, accountDomain: string): DomainError {
  return new DomainError('EMAIL_DOMAIN_MISMATCH', `email is at ${emailDomain}, not at the account's domain ${accountDomain}`, 'email');
}
