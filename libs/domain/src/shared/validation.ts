import { invalidField } from './domain-error';

// Values reach the domain from DTOs that were validated already, and from
// imports and replays that were not; these checks are the last line, so they
// look at runtime types too.

const DEFAULT_TEXT_LIMIT = 500;
const ID_LIMIT = 128;

export function requiredText(value: unknown, field: string, maxLength = DEFAULT_TEXT_LIMIT): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalidField('REQUIRED_FIELD_MISSING', field, 'is required and must be non-empty text');
  }
  const text = value.trim();
  if (text.length > maxLength) {
    throw invalidField('VALUE_TOO_LONG', field, `must be at most ${maxLength} characters`);
  }
  return text;
}

/** Absent, null and blank all mean "not known" and come back as null. */
export function optionalText(value: unknown, field: string, maxLength = DEFAULT_TEXT_LIMIT): string | null {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    return null;
  }
  return requiredText(value, field, maxLength);
}

/**
 * Ids end up in stream names (`contact-{id}`), so they are kept verbatim:
 * whitespace and control characters are refused rather than trimmed away.
 */
export function requiredId(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') {
    throw invalidField('REQUIRED_FIELD_MISSING', field, 'is required');
  }
  if (value.length > ID_LIMIT) {
    throw invalidField('INVALID_ID', field, `must be at most ${ID_LIMIT} characters`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(value)) {
    throw invalidField('INVALID_ID', field, 'must not contain whitespace or control characters');
  }
  return value;
}

export function optionalId(value: unknown, field: string): string | null {
  return value === undefined || value === null || value === '' ? null : requiredId(value, field);
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalidField('UNSUPPORTED_VALUE', field, `must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function optionalOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T | null {
  return value === undefined || value === null ? null : oneOf(value, allowed, field);
}

export function integerInRange(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw invalidField('VALUE_OUT_OF_RANGE', field, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

const SOURCE_SYSTEM = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/**
 * The system a fact came from (`hubspot`, `segment`, `google_ads`): a short
 * lower-case slug, because it is part of derived idempotency keys and must
 * not vary in case or spacing between two deliveries of the same fact.
 */
export function sourceSystem(value: unknown, field: string): string {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (text === '') {
    throw invalidField('REQUIRED_FIELD_MISSING', field, 'is required');
  }
  if (!SOURCE_SYSTEM.test(text)) {
    throw invalidField('UNSUPPORTED_VALUE', field, 'must be a slug of at most 64 letters, digits, dots, dashes or underscores');
  }
  return text;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Lower-cased, because the same UUID in two cases must be the same event id. */
export function uuid(value: unknown, field: string): string {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (!UUID.test(text)) {
    throw invalidField('INVALID_UUID', field, 'must be a UUID (8-4-4-4-12 hexadecimal digits)');
  }
  return text;
}

const EMAIL = /^[^\s@]+@([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * Addresses are compared case-insensitively everywhere (identity, account
 * domains), so they are stored lower-cased once, here.
 */
export function emailAddress(value: unknown, field: string): string {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (text === '') {
    throw invalidField('REQUIRED_FIELD_MISSING', field, 'is required');
  }
  if (text.length > 254 || !EMAIL.test(text)) {
    throw invalidField('INVALID_EMAIL', field, 'must be an email address such as jane@example.com');
  }
  return text;
}

export function optionalEmailAddress(value: unknown, field: string): string | null {
  return value === undefined || value === null || value === '' ? null : emailAddress(value, field);
}

const HOSTNAME = /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** A company's web domain: lower-cased, without scheme, path or a leading `www.`. */
export function webDomain(value: unknown, field: string): string {
  const text = typeof value === 'string' ? value.trim().toLowerCase().replace(/^www\./, '') : '';
  if (text === '') {
    throw invalidField('REQUIRED_FIELD_MISSING', field, 'is required');
  }
  if (text.length > 253 || !HOSTNAME.test(text)) {
    throw invalidField('INVALID_DOMAIN', field, 'must be a domain name such as acme.com (no scheme or path)');
  }
  return text;
}

/** An absolute http(s) address, as a browser would have it; kept as given apart from trimming. */
export function webUrl(value: unknown, field: string, maxLength = 2048): string {
  const text = requiredText(value, field, maxLength);
  let protocol: string;
  try {
    protocol = new URL(text).protocol;
  } catch {
    protocol = '';
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw invalidField('INVALID_URL', field, 'must be an absolute http or https URL');
  }
  return text;
}

export function optionalWebUrl(value: unknown, field: string): string | null {
  return optionalText(value, field, 2048) === null ? null : webUrl(value, field);
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
// ICU knows these codes, but they are groupings or private-use, not countries.
const NOT_A_COUNTRY = /^(AA|Q[M-Z]|X[A-JL-Z]|ZZ|EU|EZ|UN)$/;

/** ISO 3166-1 alpha-2, upper case; aliases such as UK are refused in favour of GB. */
export function countryCode(value: unknown, field: string): string {
  const code = typeof value === 'string' ? value.trim() : '';
  const known =
    /^[A-Z]{2}$/.test(code) &&
    !NOT_A_COUNTRY.test(code) &&
    regionNames.of(code) !== undefined &&
    new Intl.Locale(`und-${code}`).region === code;
  if (!known) {
    throw invalidField('INVALID_COUNTRY', field, 'must be an ISO 3166-1 alpha-2 country code such as DE');
  }
  return code;
}
