import { money } from './money';
import { calendarDate, utcTimestamp } from './time';
import { normaliseUtm } from './utm';
import { countryCode, emailAddress, requiredId, requiredText } from './validation';

const refusal = (run: () => unknown, code: string, field: string) => expect(run).toThrow(expect.objectContaining({ code, field }));

describe('UTC timestamps', () => {
  it.each([
    ['2024-03-01T09:30:00Z', '2024-03-01T09:30:00.000Z'],
    ['2024-03-01T09:30:00.5Z', '2024-03-01T09:30:00.500Z'],
    ['2024-03-01T09:30:00.123456789Z', '2024-03-01T09:30:00.123Z'],
    ['2024-03-01T09:30:00+00:00', '2024-03-01T09:30:00.000Z'],
    ['2024-02-29T23:59:59Z', '2024-02-29T23:59:59.000Z'],
  ])('reads %s as %s', (given, canonical) => {
    expect(utcTimestamp(given, 'at')).toBe(canonical);
  });

  it.each(['2024-03-01', '2024-03-01T09:30:00', '2024-03-01T09:30:00+01:00', '2023-02-29T00:00:00Z', '2024-03-01T24:00:00Z', 1709285400000])(
    'refuses %s',
    (given) => refusal(() => utcTimestamp(given, 'at'), 'INVALID_TIMESTAMP', 'at'),
  );
});

describe('Calendar dates', () => {
  it('accepts a real day', () => expect(calendarDate('2024-02-29', 'day')).toBe('2024-02-29'));

  it.each(['2023-02-29', '2024-04-31', '2024-3-1', '2024-03-01T00:00:00Z'])('refuses %s', (given) =>
    refusal(() => calendarDate(given, 'day'), 'INVALID_DATE', 'day'),
  );
});

describe('Money', () => {
  it('keeps integer minor units and the currency', () => {
    expect(money({ amountMinor: 0, currency: 'JPY' }, 'amount')).toEqual({ amountMinor: 0, currency: 'JPY' });
  });

  it.each([
    [{ amountMinor: Number.MAX_SAFE_INTEGER + 1, currency: 'EUR' }, 'INVALID_AMOUNT', 'amount.amountMinor'],
    [{ amountMinor: '100', currency: 'EUR' }, 'INVALID_AMOUNT', 'amount.amountMinor'],
    [{ amountMinor: 100, currency: 'ABC' }, 'INVALID_CURRENCY', 'amount.currency'],
    [null, 'REQUIRED_FIELD_MISSING', 'amount'],
  ])('refuses %j', (given, code, field) => refusal(() => money(given, 'amount'), code, field));
});

describe('Text', () => {
  it('refuses text over its length limit', () => refusal(() => requiredText('x'.repeat(201), 'name', 200), 'VALUE_TOO_LONG', 'name'));

  it('refuses a UTM value over 250 characters', () => refusal(() => normaliseUtm({ campaign: 'x'.repeat(251) }), 'VALUE_TOO_LONG', 'utm.campaign'));
});

describe('Ids, emails and countries', () => {
  it('refuses an id longer than 128 characters', () => refusal(() => requiredId('x'.repeat(129), 'id'), 'INVALID_ID', 'id'));

  it('lower-cases and trims an email address', () => expect(emailAddress('  Ada@Example.COM ', 'email')).toBe('ada@example.com'));

  it.each(['DE', 'GB', 'US', 'XK'])('accepts the country %s', (code) => expect(countryCode(code, 'country')).toBe(code));

  it.each(['UK', 'EU', 'ZZ', 'de', 'DEU'])('refuses %s as a country', (code) =>
    refusal(() => countryCode(code, 'country'), 'INVALID_COUNTRY', 'country'),
  );
});
