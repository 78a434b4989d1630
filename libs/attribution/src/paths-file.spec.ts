import { formatPathsFile, parsePathsFile } from './paths-file';
import { handCheckRows, pathRow, refusal } from './testing/builders';

const HEADER = 'path;total_conversions;total_conversion_value;total_null';

describe('parsePathsFile', () => {
  it('reads the data teams format into path rows', () => {
    const text = `${HEADER}\nc1 > c2 > c3;1;10;0\nc1;0;0;1\nc2 > c3;0;0;1\n`;

    expect(parsePathsFile(text)).toEqual(handCheckRows());
  });

  it('accepts a byte-order mark, CRLF line ends, blank lines, spaces around values and decimals', () => {
    const text = `\uFEFF${HEADER}\r\n\r\npaid_search>email ;  2.5 ; 1234.56 ; 3\r\n`;

    expect(parsePathsFile(text)).toEqual([pathRow('paid_search>email', { conversions: 2.5, value: 1234.56, nulls: 3 })]);
  });

  it('gives no rows for a file that holds only the header', () => {
    expect(parsePathsFile(`${HEADER}\n`)).toEqual([]);
  });

  it.each([
    ['an empty file', '', 1, undefined, 'line 1: the header must be path;total_conversions;total_conversion_value;total_null (found an empty first line)'],
    ['another header', 'path,conversions\n', 1, undefined, 'line 1: the header must be path;total_conversions;total_conversion_value;total_null (found "path,conversions")'],
    ['a row with three columns', `${HEADER}\na;1;0;0\nb;1;0\n`, 3, undefined, "line 3: must have 4 columns separated by ';' (found 3)"],
    ['a count that is not a number', `${HEADER}\na;1;0;many\n`, 2, 'total_null', 'line 2, column total_null: must be a number of 0 or more such as 12 or 3.5 (found "many")'],
    ['a negative count', `${HEADER}\na;-1;0;0\n`, 2, 'total_conversions', 'line 2, column total_conversions: must be a number of 0 or more such as 12 or 3.5 (found "-1")'],
    ['a count too large for a number', `${HEADER}\na;1;${'9'.repeat(400)};0\n`, 2, 'total_conversion_value', /^line 2, column total_conversion_value: must be a number of 0 or more/],
    ['a path with an empty value', `${HEADER}\na >  > b;1;0;0\n`, 2, 'path', "line 2, column path: value 2 is empty: a path is one or more values separated by ' > '"],
    ['value without conversions', `${HEADER}\na;0;5;1\n`, 2, 'total_conversion_value', 'line 2, column total_conversion_value: must be 0 when total_conversions is 0'],
  ])('refuses %s, naming the line, the column and the rule', (_, text, line, field, message) => {
    expect(() => parsePathsFile(text)).toThrow(refusal({ code: 'INVALID_PATHS_FILE', line, field, message }));
  });
});

describe('formatPathsFile', () => {
  it('writes rows that parse back to the same rows', () => {
    const rows = [pathRow('a>b', { conversions: 3, value: 12.5, nulls: 1 }), pathRow('c', { nulls: 7 })];

    expect(formatPathsFile(rows)).toBe(`${HEADER}\na > b;3;12.5;1\nc;0;0;7\n`);
    expect(parsePathsFile(formatPathsFile(rows))).toEqual(rows);
  });

  it('refuses a value the format cannot hold', () => {
    expect(() => formatPathsFile([pathRow('a;b', { nulls: 1 })])).toThrow(refusal({ field: 'rows[0].path[0]' }));
  });
});
