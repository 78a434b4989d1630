import type { ValidationError } from 'class-validator';

/** One broken rule: the input path (`amount.currency`, `stages[1].order`) and what is wrong with it. */
export type FieldError = { readonly field: string; readonly message: string };

/** Input that broke one or more rules before any command ran; reported as BAD_USER_INPUT. */
export class InputValidationError extends Error {
  override readonly name = 'InputValidationError';

  constructor(readonly fieldErrors: readonly FieldError[]) {
    super(`Invalid input: ${fieldErrors.map((error) => error.message).join('; ')}`);
  }
}

/**
 * Flattens class-validator's tree into one entry per broken rule, with paths in the
 * notation the domain uses for its own field errors, so a client sees the same names
 * whichever layer refused the value.
 */
export function fieldErrorsOf(errors: readonly ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = childPath(parent, error.property);
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...fieldErrorsOf(error.children ?? [], field)];
  });
}

function childPath(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent === '' ? property : `${parent}.${property}`;
}
