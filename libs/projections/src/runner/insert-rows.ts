import { arrayParameters } from './array-parameters';
import { copyBinaryChunks } from './copy-binary';
import type { Sql } from './read-store-sql';

/** One column of rows to add: its name, its PostgreSQL type and its value in each row. */
export interface InsertColumn {
  readonly name: string;
  readonly type: string;
  readonly values: readonly unknown[];
}

/**
 * Adds the rows to `table` (qualified and quoted), given column by column, each column's `type`
 * the table column's own. With COPY in its binary format where the connection takes it
 * (`copyBinaryChunks`): PostgreSQL loads COPY at about half the cost of an INSERT of the same
 * rows from arrays, and binary COPY at less again than text. Else one INSERT … SELECT FROM
 * unnest of the columns. Only for rows that no stored row conflicts with: COPY has no ON CONFLICT.
 */
export async function insertRows(sql: Pick<Sql, 'query' | 'copyFrom'>, table: string, columns: readonly InsertColumn[]): Promise<void> {
  if (columns.length === 0) throw new RangeError(`An insert into ${table} needs at least one column`);
  const count = columns[0].values.length;
  for (const column of columns) {
    if (column.values.length !== count) {
      throw new RangeError(`Column ${column.name} of an insert into ${table} has ${column.values.length} values; ${columns[0].name} has ${count}`);
    }
  }
  if (count === 0) return;
  if (sql.copyFrom) {
    try {
      await sql.copyFrom(`COPY ${table} (${columnNames(columns)}) FROM STDIN (FORMAT binary)`, copyBinaryChunks(columns, count));
    } catch (error) {
      // A column sent as another type than the table's is read as garbage: say what was sent.
      const { code, where } = error as { code?: unknown; where?: unknown };
      if (!MISREAD_BINARY_INPUT.has(code as string) || typeof where !== 'string' || !where.startsWith('COPY')) throw error;
      const sent = columns.map(({ name, type }) => `${name} as ${type}`).join(', ');
      throw new TypeError(`COPY into ${table} sent ${sent}; a column's type is not the table's: ${(error as Error).message} (${where})`, {
        cause: error,
      });
    }
    return;
  }
  await sql.query(insertFromArrays(table, columns), arrayParameters(columnValues(columns)));
}

/**
 * `INSERT INTO table (…) SELECT … FROM unnest($1::type[], …)`: the columns' values as one
 * array parameter each (`columnValues`), to which a caller may add an ON CONFLICT clause. A
 * text[] column travels as each row's JSON text, an array of arrays of different lengths being
 * no PostgreSQL array.
 */
export function insertFromArrays(table: string, columns: readonly InsertColumn[]): string {
  const names = columnNames(columns);
  const select = columns.some(isTextArray)
    ? columns
        .map(({ name, type }) =>
          type === TEXT_ARRAY ? `CASE WHEN u.${name} IS NOT NULL THEN ARRAY(SELECT jsonb_array_elements_text(u.${name}::jsonb)) END` : `u.${name}`,
        )
        .join(', ')
    : '*';
  return `INSERT INTO ${table} (${names}) SELECT ${select} FROM unnest(${arrayParametersOf(columns)}) AS u(${names})`;
}

export function columnNames(columns: readonly InsertColumn[]): string {
  return columns.map((column) => column.name).join(', ');
}

/** `$1::type[], $2::type[], …`: one typed array parameter per column, in order. */
function arrayParametersOf(columns: readonly InsertColumn[]): string {
  return columns.map((column, i) => `$${i + 1}::${isTextArray(column) ? 'text' : column.type}[]`).join(', ');
}

/** `name = excluded.name, …` for an upsert's DO UPDATE SET. */
export function replacedByExcluded(columns: readonly InsertColumn[]): string {
  return columns.map(({ name }) => `${name} = excluded.${name}`).join(', ');
}

export function columnValues(columns: readonly InsertColumn[]): (readonly unknown[])[] {
  return columns.map((column) => (isTextArray(column) ? column.values.map((value) => (value === null || value === undefined ? null : JSON.stringify(value))) : column.values));
}

const TEXT_ARRAY = 'text[]';

/**
 * PostgreSQL's SQLSTATEs for a COPY field its column's type cannot read: one of another form
 * (22P03) or shorter than the type's (08P01, "insufficient data left in message").
 */
const MISREAD_BINARY_INPUT = new Set(['22P03', '08P01']);

function isTextArray(column: InsertColumn): boolean {
  return column.type === TEXT_ARRAY;
}
