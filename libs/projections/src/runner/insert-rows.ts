import { arrayParameters } from './array-parameters';
import type { Sql } from './read-store-sql';

/** One column of rows to add: its name, its PostgreSQL type and its value in each row. */
export interface InsertColumn {
  readonly name: string;
  readonly type: string;
  readonly values: readonly unknown[];
}

/**
 * Adds the rows to `table` (qualified and quoted), given column by column. With COPY where the
 * connection takes it: PostgreSQL parses COPY's text at about half the cost of an INSERT of
 * the same rows from arrays, and the text costs less to write than the array literals. Else
 * one INSERT … SELECT FROM unnest of the columns. Only for rows that no stored row conflicts
 * with: COPY has no ON CONFLICT.
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
    await sql.copyFrom(`COPY ${table} (${columnNames(columns)}) FROM STDIN`, copyChunks(columns, count));
    return;
  }
  await sql.query(insertFromArrays(table, columns), arrayParameters(columnValues(columns)));
}

/**
 * `INSERT INTO table (…) SELECT * FROM unnest($1::type[], …)`: the columns' values as one
 * array parameter each (`columnValues`), to which a caller may add an ON CONFLICT clause.
 */
export function insertFromArrays(table: string, columns: readonly InsertColumn[]): string {
  return `INSERT INTO ${table} (${columnNames(columns)}) SELECT * FROM unnest(${arrayParametersOf(columns)})`;
}

export function columnNames(columns: readonly InsertColumn[]): string {
  return columns.map((column) => column.name).join(', ');
}

/** `$1::type[], $2::type[], …`: one typed array parameter per column, in order. */
export function arrayParametersOf(columns: readonly InsertColumn[]): string {
  return columns.map((column, i) => `$${i + 1}::${column.type}[]`).join(', ');
}

/** `name = excluded.name, …` for an upsert's DO UPDATE SET. */
export function replacedByExcluded(columns: readonly InsertColumn[]): string {
  return columns.map(({ name }) => `${name} = excluded.${name}`).join(', ');
}

export function columnValues(columns: readonly InsertColumn[]): (readonly unknown[])[] {
  return columns.map((column) => column.values);
}

/** About how many bytes of COPY's input go in one chunk. */
const COPY_CHUNK_BYTES = 256 * 1024;

/**
 * The rows in COPY's text format, UTF-8 encoded, in chunks: a line per row, its fields
 * separated by tabs, `\N` for null. A backslash, tab, newline or carriage return in a value is
 * written as its backslash escape. Strings go as they are, objects as their JSON, everything
 * else as `String` writes it. Each line is joined from its fields and encoded into the chunk
 * at once: joining every line into one string first, then encoding that, took half as long
 * again (5,000 lines of 13 fields), and put a string of megabytes on the heap per insert.
 */
export function copyChunks(columns: readonly InsertColumn[], count: number): Buffer[] {
  const chunks: Buffer[] = [];
  let chunk = Buffer.allocUnsafe(COPY_CHUNK_BYTES);
  let used = 0;
  const fields: string[] = new Array<string>(columns.length);
  for (let row = 0; row < count; row++) {
    for (let column = 0; column < columns.length; column++) fields[column] = copyField(columns[column].values[row]);
    const line = fields.join('\t');
    // A UTF-16 code unit takes three bytes of UTF-8 at most; the newline one more.
    const room = 3 * line.length + 1;
    if (used + room > chunk.length) {
      if (used > 0) chunks.push(chunk.subarray(0, used));
      chunk = Buffer.allocUnsafe(Math.max(COPY_CHUNK_BYTES, room));
      used = 0;
    }
    used += chunk.write(line, used);
    chunk[used++] = NEWLINE;
  }
  if (used > 0) chunks.push(chunk.subarray(0, used));
  return chunks;
}

const NEWLINE = 0x0a;

function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return NEEDS_ESCAPE.test(text) ? text.replace(ESCAPED, (character) => ESCAPES[character]) : text;
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPED = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
