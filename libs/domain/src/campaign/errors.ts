import { DomainError } from '../shared/domain-error';
import type { CurrencyCode } from '../shared/money';

export const campaignErrorCodes = [
  'CAMPAIGN_NOT_FOUND',
  'CAMPAIGN_ALREADY_EXISTS',
  'CAMPAIGN_ENDS_BEFORE_START',
  'CURRENCY_MISMATCH',
] as const;

export function campaignNotFound(campaignId: string): DomainError {
  return new DomainError('CAMPAIGN_NOT_FOUND', `Campaign ${campaignId} does not exist`);
}

export function campaignAlreadyExists(campaignId: string): DomainError {
  return new DomainError('CAMPAIGN_ALREADY_EXISTS', `Campaign ${campaignId} already exists`);
}

export function campaignEndsBeforeStart(startDate: string, endDate: string): DomainError {
  return new DomainError('CAMPAIGN_ENDS_BEFORE_START', `endDate ${endDate} is before startDate ${startDate}`, 'endDate');
}

export function spendCurrencyMismatch(budgetCurrency: CurrencyCode, given: CurrencyCode): DomainError {
  return new DomainError(
    'CURRENCY_MISMATCH',
    `amount.currency is ${given}, but the campaign budget is in ${budgetCurrency}; convert spend before recording it`,
    'amount.currency',
  );
}
