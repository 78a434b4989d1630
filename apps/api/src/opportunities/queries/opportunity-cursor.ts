import { InputValidationError } from '../../common/validation/input-validation.error';

export const opportunityOrderFields = ['OPENED_AT', 'EXPECTED_CLOSE_DATE', 'AMOUNT', 'NAME'] as const;
export type OpportunityOrderField = (typeof opportunityOrderFields)[number];

export const sortDirections = ['ASC', 'DESC'] as const;
export type SortDirection = (typeof sortDirections)[number];

export interface OpportunityOrder {
  readonly field: OpportunityOrderField;
  readonly direction: SortDirection;
}

/** Where a page ends: the sort key of its last row (as text) and that row's id, which breaks ties. */
export interface PagePosition {
  readonly key: string;
  readonly id: string;
}

const CURSOR_VERSION = 1;

/** What a sort key must look like in a cursor, so a tampered one fails here and not in SQL. */
const keyShapes: Record<OpportunityOrderField, RegExp> = {
  OPENED_AT: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/,
  EXPECTED_CLOSE_DATE: /^\d{4}-\d{2}-\d{2}$/,
  AMOUNT: /^-?\d{1,19}$/,
  NAME: /^[\s\S]*$/,
};

/**
 * Opaque to clients: base64url of the order it was made for, the sort key and the id. The order
 * travels along so that a cursor is never read against another ordering, where it would
 * silently skip or repeat rows.
 */
export function encodeCursor(order: OpportunityOrder, position: PagePosition): string {
  return Buffer.from(JSON.stringify([CURSOR_VERSION, order.field, order.direction, position.key, position.id]), 'utf8').toString('base64url');
}

/** The position a cursor holds; a cursor that is malformed or made for another order is refused, naming `after`. */
export function decodeCursor(cursor: string, order: OpportunityOrder): PagePosition {
  const parts = parsed(cursor);
  if (!parts) throw badCursor('after is not a cursor this api returned');
  const [, field, direction, key, id] = parts;
  if (field !== order.field || direction !== order.direction) {
    throw badCursor(`after was returned for the order ${field} ${direction}, not for ${order.field} ${order.direction}`);
  }
  if (!keyShapes[order.field].test(key) || id === '') throw badCursor('after is not a cursor this api returned');
  return { key, id };
}

type CursorParts = [typeof CURSOR_VERSION, string, string, string, string];

function parsed(cursor: string): CursorParts | null {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const ok =
      Array.isArray(value) &&
      value.length === 5 &&
      value[0] === CURSOR_VERSION &&
      value.slice(1).every((part: unknown) => typeof part === 'string');
    return ok ? (value as CursorParts) : null;
  } catch {
    return null;
  }
}

function badCursor(message: string): InputValidationError {
  return new InputValidationError([{ field: 'after', message }]);
}
