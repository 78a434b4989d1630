export const attributionErrorCodes = ['INVALID_INPUT', 'INVALID_WEIGHTS', 'UNSUPPORTED_MODEL', 'INVALID_PATHS_FILE', 'NOT_CONVERGED'] as const;

export type AttributionErrorCode = (typeof attributionErrorCodes)[number];

/**
 * The one error the engine throws. `field` names the offending input (`touches[2].occurredAt`,
 * `weights.FT`, a paths-file column) so a caller can point at it; `line` is set for paths files.
 */
export class AttributionError extends Error {
  override readonly name = 'AttributionError';

  constructor(
    readonly code: AttributionErrorCode,
    message: string,
    readonly field?: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

export function invalidInput(field: string, rule: string): AttributionError {
  return new AttributionError('INVALID_INPUT', `${field} ${rule}`, field);
}

export function requiredText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw invalidInput(field, 'is required and must be non-empty text');
  return value;
}

export function optionalText(value: unknown, field: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw invalidInput(field, 'must be text or null');
  return value;
}

export function nonNegativeNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw invalidInput(field, 'must be a finite number of 0 or more');
  return value;
}
