import { InputValidationError } from '../../common/validation/input-validation.error';

/** The half-open period `[from, to)` a lead report covers, in UTC ISO-8601. */
export interface ReportPeriod {
  readonly from: string;
  readonly to: string;
}

/** Refuses an empty or reversed period: it could only ever answer zero, which hides a client's mistake. */
export function reportPeriod(from: string, to: string): ReportPeriod {
  if (Date.parse(from) >= Date.parse(to)) {
    throw new InputValidationError([{ field: 'from', message: 'from must be before to' }]);
  }
  return { from, to };
}

/** `part / whole`, or null when nothing was there to convert: a rate of 0 would claim a failure that never had a chance. */
export function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/** Orders report groups largest first, then by key (code points, whatever the server's locale) so equal sizes list stably. */
export function largestFirst<Group extends { readonly key: string }>(size: (group: Group) => number) {
  return (a: Group, b: Group): number => size(b) - size(a) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}
