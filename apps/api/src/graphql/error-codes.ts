import type { AttributionErrorCode } from '@revops/attribution';
import type { DomainErrorCode } from '@revops/domain';
import type { ProjectionErrorCode } from '@revops/projections';

/**
 * Codes that do not come from the domain: Apollo's own, those @nestjs/apollo gives HTTP
 * exceptions, the query limits' QUERY_TOO_DEEP and QUERY_TOO_COMPLEX, and the write side's
 * NOT_FOUND, CONFLICT (concurrent writers kept winning until retries ran out) and
 * SERVICE_UNAVAILABLE (the event store is down; retry later).
 */
export const transportErrorCodes = [
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COMPLEX',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
] as const;

export type TransportErrorCode = (typeof transportErrorCodes)[number];

/**
 * How each domain refusal reaches a client. Value rules become BAD_USER_INPUT (with the
 * field), every `*_NOT_FOUND` becomes NOT_FOUND, and business-rule refusals keep their own
 * code so clients can react to them. `satisfies` makes the map complete: a code added to
 * the domain does not compile until it is mapped here.
 */
export const domainErrorCodeMap = {
  REQUIRED_FIELD_MISSING: 'BAD_USER_INPUT',
  VALUE_TOO_LONG: 'BAD_USER_INPUT',
  VALUE_OUT_OF_RANGE: 'BAD_USER_INPUT',
  UNSUPPORTED_VALUE: 'BAD_USER_INPUT',
  INVALID_ID: 'BAD_USER_INPUT',
  INVALID_UUID: 'BAD_USER_INPUT',
  INVALID_EMAIL: 'BAD_USER_INPUT',
  INVALID_URL: 'BAD_USER_INPUT',
  INVALID_DOMAIN: 'BAD_USER_INPUT',
  INVALID_COUNTRY: 'BAD_USER_INPUT',
  INVALID_AMOUNT: 'BAD_USER_INPUT',
  INVALID_CURRENCY: 'BAD_USER_INPUT',
  INVALID_TIMESTAMP: 'BAD_USER_INPUT',
  INVALID_DATE: 'BAD_USER_INPUT',
  PERSON_IDENTIFIER_MISSING: 'BAD_USER_INPUT',
  // Channel rules are server configuration: a broken rule is our fault, not the caller's.
  INVALID_CHANNEL_RULE: 'INTERNAL_SERVER_ERROR',
  CONTACT_NOT_FOUND: 'NOT_FOUND',
  CONTACT_ALREADY_EXISTS: 'CONTACT_ALREADY_EXISTS',
  CONTACT_MERGED: 'CONTACT_MERGED',
  CONTACT_SELF_MERGE: 'CONTACT_SELF_MERGE',
  INVALID_LIFECYCLE_TRANSITION: 'INVALID_LIFECYCLE_TRANSITION',
  LEAD_NOT_HANDED_TO_SALES: 'LEAD_NOT_HANDED_TO_SALES',
  ACCOUNT_NOT_FOUND: 'NOT_FOUND',
  ACCOUNT_ALREADY_EXISTS: 'ACCOUNT_ALREADY_EXISTS',
  FREE_MAIL_DOMAIN: 'FREE_MAIL_DOMAIN',
  EMAIL_DOMAIN_MISMATCH: 'EMAIL_DOMAIN_MISMATCH',
  PIPELINE_NOT_FOUND: 'NOT_FOUND',
  PIPELINE_ALREADY_EXISTS: 'PIPELINE_ALREADY_EXISTS',
  PIPELINE_HAS_NO_STAGES: 'PIPELINE_HAS_NO_STAGES',
  DUPLICATE_STAGE_ID: 'DUPLICATE_STAGE_ID',
  DUPLICATE_STAGE_ORDER: 'DUPLICATE_STAGE_ORDER',
  OPPORTUNITY_NOT_FOUND: 'NOT_FOUND',
  OPPORTUNITY_ALREADY_EXISTS: 'OPPORTUNITY_ALREADY_EXISTS',
  OPPORTUNITY_ALREADY_CLOSED: 'OPPORTUNITY_ALREADY_CLOSED',
  OPPORTUNITY_NOT_CLOSED: 'OPPORTUNITY_NOT_CLOSED',
  UNKNOWN_STAGE: 'UNKNOWN_STAGE',
  PIPELINE_MISMATCH: 'PIPELINE_MISMATCH',
  CURRENCY_MISMATCH: 'CURRENCY_MISMATCH',
  DUPLICATE_CONTACT_ROLE: 'DUPLICATE_CONTACT_ROLE',
  CLOSED_BEFORE_OPENED: 'CLOSED_BEFORE_OPENED',
  CAMPAIGN_NOT_FOUND: 'NOT_FOUND',
  CAMPAIGN_ALREADY_EXISTS: 'CAMPAIGN_ALREADY_EXISTS',
  CAMPAIGN_ENDS_BEFORE_START: 'CAMPAIGN_ENDS_BEFORE_START',
} as const satisfies Record<DomainErrorCode, TransportErrorCode | DomainErrorCode>;

/**
 * How the read side's refusals reach a client: a read model that did not pass the position
 * the caller asked for in time, or that has not caught up once yet, keeps its own code so a
 * client can retry instead of showing stale figures.
 */
export const projectionErrorCodeMap = {
  PROJECTION_TIMEOUT: 'PROJECTION_TIMEOUT',
  PROJECTION_NOT_READY: 'PROJECTION_NOT_READY',
  PROJECTION_NOT_FOUND: 'NOT_FOUND',
  PROJECTION_NOT_STALLED: 'PROJECTION_NOT_STALLED',
  PROJECTION_SKIP_MISMATCH: 'PROJECTION_SKIP_MISMATCH',
} as const satisfies Record<ProjectionErrorCode, TransportErrorCode | ProjectionErrorCode>;

/**
 * The attribution engine's refusals: bad report input names its field. A model that does not
 * converge is our fault, not the caller's.
 */
export const attributionErrorCodeMap = {
  INVALID_INPUT: 'BAD_USER_INPUT',
  INVALID_WEIGHTS: 'BAD_USER_INPUT',
  UNSUPPORTED_MODEL: 'BAD_USER_INPUT',
  INVALID_PATHS_FILE: 'BAD_USER_INPUT',
  NOT_CONVERGED: 'INTERNAL_SERVER_ERROR',
} as const satisfies Record<AttributionErrorCode, TransportErrorCode>;

export type PublicErrorCode =
  | TransportErrorCode
  | (typeof domainErrorCodeMap)[DomainErrorCode]
  | (typeof projectionErrorCodeMap)[ProjectionErrorCode];

/** Every `extensions.code` a client may see; anything else is reported as INTERNAL_SERVER_ERROR. */
export const publicErrorCodes: readonly PublicErrorCode[] = [
  ...new Set<PublicErrorCode>([
    ...transportErrorCodes,
    ...Object.values(domainErrorCodeMap),
    ...Object.values(projectionErrorCodeMap),
  ]),
];

export function publicCodeOf(code: DomainErrorCode): PublicErrorCode {
  return domainErrorCodeMap[code];
}
