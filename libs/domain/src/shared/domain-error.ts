import type { DomainErrorCode } from '../error-codes';

/**
 * The one error the domain throws. `code` is stable: the API maps each code to
 * a transport error code, so a code is never renamed once shipped. `field`
 * names the offending input when the refusal is about a value rather than
 * about the aggregate's history.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Codes for input that breaks a value rule; every one of them carries `field`. */
export const validationErrorCodes = [
  'REQUIRED_FIELD_MISSING',
  'VALUE_TOO_LONG',
  'VALUE_OUT_OF_RANGE',
  'UNSUPPORTED_VALUE',
  'INVALID_ID',
  'INVALID_UUID',
  'INVALID_EMAIL',
  'INVALID_URL',
  'INVALID_DOMAIN',
  'INVALID_COUNTRY',
  'INVALID_AMOUNT',
  'INVALID_CURRENCY',
  'INVALID_TIMESTAMP',
  'INVALID_DATE',
] as const;

export type ValidationErrorCode = (typeof validationErrorCodes)[number];

export function invalidField(code: ValidationErrorCode, field: string, rule: string): DomainError {
  return new DomainError(code, `${field} ${rule}`, field);
}
