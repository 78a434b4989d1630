import { ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { fieldErrorsOf, InputValidationError } from './input-validation.error';

/**
 * Checks every input object against its class-validator rules. GraphQL has already
 * refused unknown fields and wrong types; whitelisting keeps it so for inputs that reach
 * a resolver or controller any other way. Every error is reported, not just the first,
 * so a form can mark all its bad fields at once.
 */
export function inputValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors: ValidationError[]) => new InputValidationError(fieldErrorsOf(errors)),
  });
}
