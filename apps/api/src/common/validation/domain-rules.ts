import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import {
  calendarDate,
  countryCode,
  currencyCode,
  DomainError,
  emailAddress,
  invalidField,
  isAnonymousPersonKey,
  optionalText,
  requiredId,
  requiredText,
  sourceSystem,
  utcTimestamp,
  uuid,
  webDomain,
} from '@revops/domain';

type ValueRule = (value: unknown, field: string) => unknown;

/** The domain's refusal message for a value, or null when the rule accepts it. */
function refusalOf(rule: ValueRule, value: unknown, field: string): string | null {
  try {
    rule(value, field);
    return null;
  } catch (error) {
    if (error instanceof DomainError) return error.message;
    throw error;
  }
}

/**
 * A class-validator decorator backed by one of the domain's value rules. The rules are
 * written once, in `libs/domain`; the API checks them up front so that every bad field
 * is reported together, before a stream is even read.
 */
function domainRule(name: string, rule: ValueRule, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => refusalOf(rule, value, args.property) === null,
        defaultMessage: (args: ValidationArguments) => refusalOf(rule, args.value, args.property) ?? `${args.property} is invalid`,
      },
    });
}

/** ISO-8601 instant in UTC (`Z` or `+00:00`), e.g. 2024-03-01T09:30:00Z. */
export const IsUtcTimestamp = (options?: ValidationOptions) => domainRule('isUtcTimestamp', utcTimestamp, options);

/** A real calendar day, `YYYY-MM-DD`. */
export const IsCalendarDate = (options?: ValidationOptions) => domainRule('isCalendarDate', calendarDate, options);

/** Upper-case ISO 4217 code. */
export const IsCurrencyCode = (options?: ValidationOptions) => domainRule('isCurrencyCode', currencyCode, options);

/** Ids become part of stream names: at most 128 characters, no whitespace or control characters. */
export const IsEntityId = (options?: ValidationOptions) => domainRule('isEntityId', requiredId, options);

/** A contact id; `anon-` is reserved for anonymous journeys. */
export const IsContactId = (options?: ValidationOptions) =>
  domainRule(
    'isContactId',
    (value, field) => {
      if (isAnonymousPersonKey(requiredId(value, field))) {
        throw invalidField('INVALID_ID', field, 'must not start with "anon-", which marks anonymous journeys');
      }
    },
    options,
  );

export const IsUuidValue = (options?: ValidationOptions) => domainRule('isUuid', uuid, options);

export const IsEmailAddress = (options?: ValidationOptions) => domainRule('isEmailAddress', emailAddress, options);

/** A lower-case slug naming a system (`google_ads`, `hubspot`). */
export const IsSourceSystem = (options?: ValidationOptions) => domainRule('isSourceSystem', sourceSystem, options);

/** Non-blank text of at most `maxLength` characters once trimmed. */
export const IsText = (maxLength: number, options?: ValidationOptions) =>
  domainRule('isText', (value, field) => requiredText(value, field, maxLength), options);

/** Like IsText, but absent, null and blank are accepted and mean "not known". */
export const IsOptionalText = (maxLength: number, options?: ValidationOptions) =>
  domainRule('isOptionalText', (value, field) => optionalText(value, field, maxLength), options);

/** A company's web domain without scheme or path, e.g. acme.com. */
export const IsWebDomain = (options?: ValidationOptions) => domainRule('isWebDomain', webDomain, options);

/** ISO 3166-1 alpha-2 in upper case, e.g. DE. */
export const IsCountryCode = (options?: ValidationOptions) => domainRule('isCountryCode', countryCode, options);
