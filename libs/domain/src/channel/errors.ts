import { DomainError } from '../shared/domain-error';

export const channelErrorCodes = ['INVALID_CHANNEL_RULE'] as const;

export function invalidChannelRule(field: string, rule: string): DomainError {
  return new DomainError('INVALID_CHANNEL_RULE', `${field} ${rule}`, field);
}
