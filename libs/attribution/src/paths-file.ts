import { AttributionError, invalidInput } from './errors';
import type { PathRow } from './path-rows';

/** The data teams' interchange format: `;`-separated, paths as values joined by ` > `. */
export const PATHS_HEADER = 'path;total_conversions;total_conversion_value;total_null';

const COLUMNS = PATHS_HEADER.split(';');
const DECIMAL = /^\d+(\.\d+)?$/;

/** Rows of a paths file, in file order; blank lines are skipped. */
export function parsePathsFile(text: string): PathRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = lines[0].trim();
  if (header !== PATHS_HEADER) {
    const found = header === '' ? 'an empty first line' : `"${header.slice(0, 80)}"`;
    throw fileError(1, undefined, `the header must be ${PATHS_HEADER} (found ${found})`);
  }
  const rows: PathRow[] = [];
  lines.forEach((line, index) => {
    const lineNumber = index + 1;
    if (index === 0 || line.trim() === '') return;
    const fields = line.split(';');
    if (fields.length !== COLUMNS.length) {
      throw fileError(lineNumber, undefined, `must have ${COLUMNS.length} columns separated by ';' (found ${fields.length})`);
    }
    const [conversions, value, nulls] = fields.slice(1).map((field, offset) => decimal(field, lineNumber, COLUMNS[offset + 1]));
    if (conversions === 0 && value > 0) throw fileError(lineNumber, 'total_conversion_value', 'must be 0 when total_conversions is 0');
    rows.push({ path: pathValues(fields[0], lineNumber), conversions, value, nulls });
  });
  return rows;
}

export function formatPathsFile(rows: readonly PathRow[]): string {
  const lines = rows.map(({ path, conversions, value, nulls }, index) => {
    path.forEach((part, at) => {
      if (/[;>\r\n]/.test(part) || part.trim() !== part) {
        throw invalidInput(`rows[${index}].path[${at}]`, "cannot be written to a paths file: it holds ';', '>', a line break or surrounding spaces");
      }
    });
    return `${path.join(' > ')};${conversions};${value};${nulls}`;
  });
  return [PATHS_HEADER, ...lines].join('\n') + '\n';
}

function pathValues(field: string, line: number): string[] {
  const values = field.split('>').map((value) => value.trim());
  values.forEach((value, index) => {
    if (value === '') throw fileError(line, 'path', `value ${index + 1} is empty: a path is one or more values separated by ' > '`);
  });
  return values;
}

function decimal(field: string, line: number, column: string): number {
  const text = field.trim();
  const number = DECIMAL.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(number)) throw fileError(line, column, `must be a number of 0 or more such as 12 or 3.5 (found "${text.slice(0, 40)}")`);
  return number;
}

function fileError(line: number, column: string | undefined, rule: string): AttributionError {
  const where = column === undefined ? `line ${line}` : `line ${line}, column ${column}`;
  return new AttributionError('INVALID_PATHS_FILE', `${where}: ${rule}`, column, line);
}
