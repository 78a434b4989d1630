import type { LoggerService } from '@nestjs/common';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { isTransientDatabaseError } from '@revops/projections';
import type { FieldError } from '../common/validation/input-validation.error';
import { publicErrorCodes, type PublicErrorCode } from './error-codes';

export { publicErrorCodes, type PublicErrorCode } from './error-codes';

const known: ReadonlySet<string> = new Set(publicErrorCodes);

function isFieldErrorList(value: unknown): value is FieldError[] {
  return (
    Array.isArray(value) &&
    value.every((each: unknown) => {
      const entry = each as Partial<FieldError> | null;
      return typeof entry?.field === 'string' && typeof entry.message === 'string';
    })
  );
}

const VARIABLE_PREFIX = /^Variable "\$([A-Za-z_]\w*)" got invalid value /;
const PATH_AT_END = / at "([^"]+)"$/;
const NAMED_FIELD = /^Field "([A-Za-z_]\w*)" (?:of required type|is not defined by type)/;

/**
 * graphql-js reports a variable that does not fit its type as one message,
 * `Variable "$input" got invalid value … at "input.amount.amountMinor"; <reason>`, with the
 * reason's own error as `originalError`. The path is read from the text between the two,
 * which is where graphql-js always puts it; a missing or unknown field is named in the
 * reason instead. Paths are reported relative to the variable, like every other field error.
 */
export function coercionFieldError(message: string, error: unknown): FieldError | null {
  const variable = VARIABLE_PREFIX.exec(message)?.[1];
  const reason = error instanceof GraphQLError ? error.originalError : undefined;
  if (variable === undefined || !(reason instanceof Error) || !message.endsWith(`; ${reason.message}`)) {
    return null;
  }
  const prefix = message.slice(0, message.length - reason.message.length - 2);
  const at = PATH_AT_END.exec(prefix)?.[1];
  const path = at?.startsWith(variable) ? at.slice(variable.length).replace(/^\./, '') : '';
  const named = NAMED_FIELD.exec(reason.message)?.[1];
  const field = named === undefined ? path : path === '' ? named : `${path}.${named}`;
  return { field: field === '' ? variable : field, message: reason.message };
}

/**
 * Shapes every GraphQL error the same way: message, locations, path, a stable
 * `extensions.code` and, for bad input and refusals about a value, `extensions.fieldErrors`
 * ([{ field, message }]); nothing else. Unexpected errors reach the log with their stack
 * and the client as "Internal server error", so no internals leak.
 */
export function createGraphqlErrorFormatter(logger: LoggerService) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const reported = formatted.extensions?.code;
    let code: PublicErrorCode =
      typeof reported === 'string' && known.has(reported) ? (reported as PublicErrorCode) : 'INTERNAL_SERVER_ERROR';

    let message = formatted.message;
    let fieldErrors: FieldError[] | undefined;
    // The read store down, or every pooled connection busy past the wait: the same read
    // can succeed a moment later, so the client is told to retry rather than of a fault.
    if (code === 'INTERNAL_SERVER_ERROR' && isTransientDatabaseError(unwrapResolverError(error))) {
      code = 'SERVICE_UNAVAILABLE';
      message = 'The read store is unavailable or busy; retry shortly';
    } else if (code === 'INTERNAL_SERVER_ERROR') {
      const cause = unwrapResolverError(error);
      logger.error(
        cause instanceof Error ? (cause.stack ?? cause.message) : String(cause),
        `GraphQL ${formatted.path?.join('.') ?? 'request'}`,
      );
      message = 'Internal server error';
    } else if (isFieldErrorList(formatted.extensions?.fieldErrors)) {
      fieldErrors = formatted.extensions.fieldErrors.map(({ field, message: text }) => ({ field, message: text }));
    } else if (code === 'BAD_USER_INPUT') {
      const coercion = coercionFieldError(formatted.message, error);
      fieldErrors = coercion ? [coercion] : undefined;
    }

    return {
      message,
      ...(formatted.locations && { locations: formatted.locations }),
      ...(formatted.path && { path: formatted.path }),
      extensions: { code, ...(fieldErrors && { fieldErrors }) },
    };
  };
}
