import { invalidField } from './domain-error';

/** ISO 4217 code, e.g. `EUR`. */
export type CurrencyCode = string;

/**
 * An amount in the currency's minor unit (cents for EUR, yen for JPY), so
 * sums are exact; never a float.
 */
export type Money = {
  readonly amountMinor: number;
  readonly currency: CurrencyCode;
};

// The runtime's ICU data is the reference list, so the domain never carries
// a hand-kept copy that drifts from the standard.
const isoCurrencies: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export function currencyCode(value: unknown, field: string): CurrencyCode {
  if (typeof value !== 'string' || !isoCurrencies.has(value)) {
    throw invalidField('INVALID_CURRENCY', field, 'must be an upper-case ISO 4217 currency code such as EUR');
  }
  return value;
}

export function money(value: unknown, field: string): Money {
  if (typeof value !== 'object' || value === null) {
    throw invalidField('REQUIRED_FIELD_MISSING', field, 'is required (amountMinor and currency)');
  }
  const { amountMinor, currency } = value as Record<string, unknown>;
  if (typeof amountMinor !== 'number' || !Number.isSafeInteger(amountMinor) || amountMinor < 0) {
    throw invalidField('INVALID_AMOUNT', `${field}.amountMinor`, 'must be a non-negative safe integer in minor units');
  }
  return { amountMinor, currency: currencyCode(currency, `${field}.currency`) };
}

export function optionalMoney(value: unknown, field: string): Money | null {
  return value === undefined || value === null ? null : money(value, field);
}

export function sameMoney(a: Money, b: Money): boolean {
  return a.amountMinor === b.amountMinor && a.currency === b.currency;
}
