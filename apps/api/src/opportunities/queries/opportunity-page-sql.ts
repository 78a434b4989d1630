import { InputValidationError, type FieldError } from '../../common/validation/input-validation.error';
import type { OpportunityStatus } from '@revops/projections';
import type { OpportunityOrder, OpportunityOrderField, PagePosition } from './opportunity-cursor';

export type { OpportunityStatus };

/** What a page of opportunities is narrowed to; every part left out does not narrow. */
export interface OpportunityCriteria {
  readonly pipelineId?: string | null;
  readonly stageId?: string | null;
  readonly ownerId?: string | null;
  /** Any of these; empty or left out means every status. */
  readonly status?: readonly OpportunityStatus[] | null;
  /** Calendar days, both ends included. */
  readonly expectedCloseDate?: { readonly from?: string | null; readonly to?: string | null } | null;
  /** Instants: from included, to excluded, so consecutive periods do not overlap. */
  readonly closedAt?: { readonly from?: string | null; readonly to?: string | null } | null;
  /** Amounts compare only within one currency; both ends included. */
  readonly amount?: { readonly currency: string; readonly minMinor?: number | null; readonly maxMinor?: number | null } | null;
}

export interface OpportunityPageRequest {
  readonly criteria: OpportunityCriteria;
  readonly order: OpportunityOrder;
  readonly after: PagePosition | null;
  readonly first: number;
}

export interface Statement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

/**
 * How each order reads its sort key: the column, the type a cursor's key is cast back to, and
 * the exact text a cursor keeps (microseconds, so no two instants share a key by rounding).
 */
const sortKeys: Record<OpportunityOrderField, { column: string; type: string; text: string }> = {
  OPENED_AT: {
    column: 'opened_at',
    type: 'timestamptz',
    text: `to_char(opened_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
  },
  EXPECTED_CLOSE_DATE: { column: 'expected_close_date', type: 'date', text: 'expected_close_date::text' },
  AMOUNT: { column: 'amount_minor', type: 'bigint', text: 'amount_minor::text' },
  NAME: { column: 'name', type: 'text', text: 'name' },
};
// Sorting and the keyset compare the table's columns (`o.`), never the select list's aliases,
// which may be text renderings of them: amounts would sort as strings.

/** Refuses ranges that are empty by mistake (a minimum above its maximum), naming the field. */
export function checkCriteria(criteria: OpportunityCriteria, path = 'filter'): void {
  const errors: FieldError[] = [];
  const { expectedCloseDate, closedAt, amount } = criteria;
  if (expectedCloseDate?.from && expectedCloseDate.to && expectedCloseDate.from > expectedCloseDate.to) {
    errors.push({ field: `${path}.expectedCloseDate.from`, message: 'expectedCloseDate.from must not be after expectedCloseDate.to' });
  }
  if (closedAt?.from && closedAt.to && Date.parse(closedAt.from) > Date.parse(closedAt.to)) {
    errors.push({ field: `${path}.closedAt.from`, message: 'closedAt.from must not be after closedAt.to' });
  }
  if (amount && amount.minMinor != null && amount.maxMinor != null && amount.minMinor > amount.maxMinor) {
    errors.push({ field: `${path}.amount.minMinor`, message: 'amount.minMinor must not be above amount.maxMinor' });
  }
  if (errors.length > 0) throw new InputValidationError(errors);
}

/**
 * The statements for one page of opportunities and for the number of matches. Keyset
 * pagination: a page starts strictly after the (sort key, id) of the previous page's last row,
 * so rows inserted meanwhile neither shift nor repeat what follows. One row more than asked for
 * tells whether there is a next page.
 */
export function opportunityPageStatements(
  table: string,
  columns: string,
  request: OpportunityPageRequest,
): { page: Statement; count: Statement } {
  const parameters: unknown[] = [];
  const bind = (value: unknown, type: string) => {
    parameters.push(value);
    return `$${parameters.length}::${type}`;
  };
  const where = conditions(request.criteria, bind);
  const countSql = `SELECT count(*)::int AS total FROM ${table} o${whereClause(where)}`;
  const countParameters = [...parameters];

  const key = sortKeys[request.order.field];
  const direction = request.order.direction;
  if (request.after) {
    const comparison = direction === 'ASC' ? '>' : '<';
    where.push(`(o.${key.column}, o.opportunity_id) ${comparison} (${bind(request.after.key, key.type)}, ${bind(request.after.id, 'text')})`);
  }
  const pageSql =
    `SELECT ${columns}, ${key.text} AS sort_key FROM ${table} o${whereClause(where)}` +
    ` ORDER BY o.${key.column} ${direction}, o.opportunity_id ${direction} LIMIT ${bind(request.first + 1, 'int')}`;
  return { page: { sql: pageSql, parameters }, count: { sql: countSql, parameters: countParameters } };
}

function conditions(criteria: OpportunityCriteria, bind: (value: unknown, type: string) => string): string[] {
  const where: string[] = [];
  if (criteria.pipelineId) where.push(`pipeline_id = ${bind(criteria.pipelineId, 'text')}`);
  if (criteria.stageId) where.push(`stage_id = ${bind(criteria.stageId, 'text')}`);
  if (criteria.ownerId) where.push(`owner_id = ${bind(criteria.ownerId, 'text')}`);
  if (criteria.status && criteria.status.length > 0) where.push(`status = ANY(${bind([...criteria.status], 'text[]')})`);
  const { expectedCloseDate, closedAt, amount } = criteria;
  if (expectedCloseDate?.from) where.push(`expected_close_date >= ${bind(expectedCloseDate.from, 'date')}`);
  if (expectedCloseDate?.to) where.push(`expected_close_date <= ${bind(expectedCloseDate.to, 'date')}`);
  if (closedAt?.from) where.push(`closed_at >= ${bind(closedAt.from, 'timestamptz')}`);
  if (closedAt?.to) where.push(`closed_at < ${bind(closedAt.to, 'timestamptz')}`);
  if (amount) {
    where.push(`currency = ${bind(amount.currency, 'text')}`);
    if (amount.minMinor != null) where.push(`amount_minor >= ${bind(amount.minMinor, 'bigint')}`);
    if (amount.maxMinor != null) where.push(`amount_minor <= ${bind(amount.maxMinor, 'bigint')}`);
  }
  return where;
}

function whereClause(conditions: readonly string[]): string {
  return conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
}
