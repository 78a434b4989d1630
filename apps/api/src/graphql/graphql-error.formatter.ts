import type { LoggerService } from '@nestjs/common';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';

/**
 * Every `extensions.code` a client may see. Apollo's own codes, and those @nestjs/apollo
 * gives HTTP exceptions; anything else is reported as INTERNAL_SERVER_ERROR. Domain error
 * codes join this list as the domain grows.
 */
export const publicErrorCodes = [
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'INTERNAL_SERVER_ERROR',
] as const;

export type PublicErrorCode = (typeof publicErrorCodes)[number];

const known: ReadonlySet<string> = new Set(publicErrorCodes);

/**
 * Shapes every GraphQL error the same way: message, locations, path and a stable
 * `extensions.code`, nothing else. Unexpected errors reach the log with their stack and
 * the client as "Internal server error", so no internals leak.
 */
export function createGraphqlErrorFormatter(logger: LoggerService) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const reported = formatted.extensions?.code;
    const code: PublicErrorCode =
      typeof reported === 'string' && known.has(reported) ? (reported as PublicErrorCode) : 'INTERNAL_SERVER_ERROR';

    let message = formatted.message;
    if (code === 'INTERNAL_SERVER_ERROR') {
      const cause = unwrapResolverError(error);
      logger.error(
        cause instanceof Error ? (cause.stack ?? cause.message) : String(cause),
        `GraphQL ${formatted.path?.join('.') ?? 'request'}`,
      );
      message = 'Internal server error';
    }

    return {
      message,
      ...(formatted.locations && { locations: formatted.locations }),
      ...(formatted.path && { path: formatted.path }),
      extensions: { code },
    };
  };
}
