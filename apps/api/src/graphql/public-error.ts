import { HttpStatus } from '@nestjs/common';
import { AttributionError } from '@revops/attribution';
import { DomainError } from '@revops/domain';
import { ConcurrencyConflictError, EventStoreUnavailableError } from '@revops/event-store';
import { ProjectionError } from '@revops/projections';
import { InputValidationError, type FieldError } from '../common/validation/input-validation.error';
import { attributionErrorCodeMap, projectionErrorCodeMap, publicCodeOf, type PublicErrorCode } from './error-codes';

/** An error as a client may see it: a stable code, a message, and the fields at fault. */
export type PublicError = {
  readonly code: PublicErrorCode;
  readonly message: string;
  readonly fieldErrors?: readonly FieldError[];
};

/** The errors the API expects and explains; anything else is a fault and stays internal. */
export const explainedErrors = [DomainError, InputValidationError, ConcurrencyConflictError, EventStoreUnavailableError, ProjectionError, AttributionError];

/** The one place a thrown error becomes a public error; null for faults nobody should see. */
export function toPublicError(error: unknown): PublicError | null {
  if (error instanceof InputValidationError) {
    return { code: 'BAD_USER_INPUT', message: error.message, fieldErrors: error.fieldErrors };
  }
  if (error instanceof DomainError) {
    const code = publicCodeOf(error.code);
    if (code === 'INTERNAL_SERVER_ERROR') return null;
    const fieldErrors = error.field === undefined ? undefined : [{ field: error.field, message: error.message }];
    return { code, message: error.message, ...(fieldErrors && { fieldErrors }) };
  }
  if (error instanceof ConcurrencyConflictError) {
    return {
      code: 'CONFLICT',
      message: `${error.streamName} kept changing while this command was decided; read it again and retry`,
    };
  }
  if (error instanceof EventStoreUnavailableError) {
    return { code: 'SERVICE_UNAVAILABLE', message: 'The event store is unavailable; nothing was written, retry later' };
  }
  if (error instanceof ProjectionError) {
    return { code: projectionErrorCodeMap[error.code], message: error.message };
  }
  if (error instanceof AttributionError) {
    const code = attributionErrorCodeMap[error.code];
    if (code === 'INTERNAL_SERVER_ERROR') return null;
    const fieldErrors = error.field === undefined ? undefined : [{ field: error.field, message: error.message }];
    return { code, message: error.message, ...(fieldErrors && { fieldErrors }) };
  }
  return null;
}

const statusByCode: Partial<Record<PublicErrorCode, HttpStatus>> = {
  BAD_USER_INPUT: HttpStatus.BAD_REQUEST,
  NOT_FOUND: HttpStatus.NOT_FOUND,
  CONFLICT: HttpStatus.CONFLICT,
  SERVICE_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
  PROJECTION_TIMEOUT: HttpStatus.SERVICE_UNAVAILABLE,
  PROJECTION_NOT_READY: HttpStatus.SERVICE_UNAVAILABLE,
};

/** For plain HTTP routes: a business-rule refusal of well-formed input is 422. */
export function httpStatusOf(error: PublicError): HttpStatus {
  return statusByCode[error.code] ?? HttpStatus.UNPROCESSABLE_ENTITY;
}
