import { validateSync, type ValidationError } from 'class-validator';
import { DomainError, recordTouchpoint, type RecordedTouchpoint, type TouchpointInput } from '@revops/domain';
import type { TouchpointFieldError } from '../ingestion/touchpoint-batch';
import { toTouchpointDto } from './to-touchpoint-dto';
import { isAbsent, isTouchpointKind } from './touchpoint.dto';

export type TouchpointValidation = { valid: true; recorded: RecordedTouchpoint } | { valid: false; errors: TouchpointFieldError[] };

export interface TouchpointDefaults {
  /** The source of a touch sent with its own id and no source: the integration that sent it. */
  source: string;
}

const validatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
} as const;

/**
 * Checks one touchpoint: its shape against the DTO (every bad field at once), then the
 * domain's rules, which normalise it into the event to store.
 */
export function validateTouchpoint(value: unknown, defaults: TouchpointDefaults): TouchpointValidation {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { valid: false, errors: [{ field: null, code: 'INVALID_TYPE', message: 'A touchpoint must be a JSON object' }] };
  }
  const dto = toTouchpointDto(value as Record<string, unknown>);
  const shapeErrors = validateSync(dto, validatorOptions);
  if (shapeErrors.length > 0) {
    return { valid: false, errors: fieldErrorsOf(shapeErrors, isTouchpointKind(dto.kind) ? dto.kind : null) };
  }
  const source = isAbsent(dto.source) && !isAbsent(dto.touchpointId) ? defaults.source : dto.source;
  try {
    return { valid: true, recorded: recordTouchpoint({ type: 'RecordTouchpoint', data: { ...dto, source } as TouchpointInput }) };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { valid: false, errors: [{ field: error.field ?? null, code: error.code, message: error.message }] };
  }
}

// class-validator's constraint names, translated into the codes the domain uses for the
// same kind of refusal, so a client handles one vocabulary whichever layer refused.
const codeOfConstraint: Record<string, string> = {
  isDefined: 'REQUIRED_FIELD_MISSING',
  arrayMinSize: 'REQUIRED_FIELD_MISSING',
  whitelistValidation: 'UNKNOWN_FIELD',
  unknownValue: 'INVALID_TYPE',
  isString: 'INVALID_TYPE',
  isObject: 'INVALID_TYPE',
  isArray: 'INVALID_TYPE',
  isInt: 'INVALID_TYPE',
  nestedValidation: 'INVALID_TYPE',
  maxLength: 'VALUE_TOO_LONG',
  arrayMaxSize: 'VALUE_TOO_LONG',
  isIn: 'UNSUPPORTED_VALUE',
  min: 'VALUE_OUT_OF_RANGE',
};

// A missing or mistyped value fails several rules at once; the first of these is the
// one worth telling.
const constraintPriority = ['whitelistValidation', 'isDefined', 'isString', 'isObject', 'isArray', 'isInt'];

function fieldErrorsOf(errors: readonly ValidationError[], kind: string | null, parent?: string): TouchpointFieldError[] {
  return errors.flatMap((error) => {
    const path = parent === undefined ? error.property : /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`;
    const own = error.constraints ? [fieldError(path, error.property, error.constraints, kind)] : [];
    return [...own, ...fieldErrorsOf(error.children ?? [], kind, path)];
  });
}

function fieldError(path: string, property: string, constraints: Record<string, string>, kind: string | null): TouchpointFieldError {
  const names = Object.keys(constraints);
  const name = constraintPriority.find((candidate) => candidate in constraints) ?? names[0];
  if (name === 'whitelistValidation') {
    const where = path.startsWith('details.') && kind !== null ? ` of ${kind} details` : ' of a touchpoint';
    return { field: path, code: 'UNKNOWN_FIELD', message: `${path} is not a known field${where}` };
  }
  // class-validator names the property alone; the full path says where it is.
  const message = constraints[name].startsWith(`${property} `) ? `${path}${constraints[name].slice(property.length)}` : constraints[name];
  return { field: path, code: codeOfConstraint[name] ?? 'INVALID_VALUE', message };
}
