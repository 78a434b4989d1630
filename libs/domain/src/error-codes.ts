import { accountErrorCodes } from './account/errors';
import { campaignErrorCodes } from './campaign/errors';
import { channelErrorCodes } from './channel/errors';
import { contactErrorCodes } from './contact/errors';
import { journeyErrorCodes } from './journey/errors';
import { opportunityErrorCodes } from './opportunity/errors';
import { pipelineErrorCodes } from './pipeline/errors';
import { validationErrorCodes } from './shared/domain-error';

const allCodes = [
  ...validationErrorCodes,
  ...channelErrorCodes,
  ...contactErrorCodes,
  ...journeyErrorCodes,
  ...accountErrorCodes,
  ...pipelineErrorCodes,
  ...opportunityErrorCodes,
  ...campaignErrorCodes,
] as const;

export type DomainErrorCode = (typeof allCodes)[number];

/**
 * Every code a DomainError can carry, once each (several aggregates share
 * CURRENCY_MISMATCH). The API maps each to a transport code through a map
 * typed `Record<DomainErrorCode, …>`, so a new code cannot go unmapped.
 */
export const domainErrorCodes: readonly DomainErrorCode[] = [...new Set(allCodes)];

export function isValidationErrorCode(code: string): boolean {
  return (validationErrorCodes as readonly string[]).includes(code);
}
