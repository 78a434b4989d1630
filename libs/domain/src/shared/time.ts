import { invalidField } from './domain-error';

/** An instant in UTC, always in the canonical form `2024-03-01T09:30:00.000Z`. */
export type UtcTimestamp = string;

/** A calendar day without time or zone, `2024-03-31`. */
export type CalendarDate = string;

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|\+00:00|-00:00)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isRealDay(year: number, month: number, day: number): boolean {
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * Accepts ISO-8601 instants in UTC (`Z` or a zero offset) and returns the
 * canonical millisecond form, so that timestamps sort correctly as strings in
 * every read model. Finer precision is truncated: business time is never
 * known to better than a millisecond.
 */
export function utcTimestamp(value: unknown, field: string): UtcTimestamp {
  const match = typeof value === 'string' ? TIMESTAMP.exec(value.trim()) : null;
  const rule = 'must be an ISO-8601 UTC timestamp such as 2024-03-01T09:30:00Z';
  if (!match) {
    throw invalidField('INVALID_TIMESTAMP', field, rule);
  }
  const [, year, month, day, hour, minute, second, fraction = ''] = match;
  if (!isRealDay(Number(year), Number(month), Number(day)) || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) {
    throw invalidField('INVALID_TIMESTAMP', field, rule);
  }
  const millis = fraction.padEnd(3, '0').slice(0, 3);
  return `${year}-${month}-${day}T${hour}:${minute}:${second}.${millis}Z`;
}

export function calendarDate(value: unknown, field: string): CalendarDate {
  const text = typeof value === 'string' ? value.trim() : '';
  const match = DATE.exec(text);
  if (!match || !isRealDay(Number(match[1]), Number(match[2]), Number(match[3]))) {
    throw invalidField('INVALID_DATE', field, 'must be a calendar date such as 2024-03-31');
  }
  return text;
}
