import { copyBinaryChunks } from './copy-binary';
import type { InsertColumn } from './insert-rows';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** COPY's binary input read back: per row, each field's bytes (null for a null field). */
function readCopy(chunks: readonly Buffer[]): (Buffer | null)[][] {
  const input = Buffer.concat(chunks);
  expect(input.subarray(0, SIGNATURE.length)).toEqual(SIGNATURE);
  expect(input.readInt32BE(SIGNATURE.length)).toBe(0);
  expect(input.readInt32BE(SIGNATURE.length + 4)).toBe(0);
  let at = SIGNATURE.length + 8;
  const rows: (Buffer | null)[][] = [];
  for (;;) {
    const fields = input.readInt16BE(at);
    at += 2;
    if (fields === -1) break;
    const row: (Buffer | null)[] = [];
    for (let i = 0; i < fields; i++) {
      const length = input.readInt32BE(at);
      at += 4;
      row.push(length === -1 ? null : input.subarray(at, at + length));
      if (length > 0) at += length;
    }
    rows.push(row);
  }
  expect(at).toBe(input.length);
  return rows;
}

/** The single field of one column's rows. */
const fieldsOf = (type: string, values: unknown[]) => readCopy(copyBinaryChunks([{ name: 'v', type, values }], values.length)).map((row) => row[0]);

/** numeric's binary form as its parts. */
function numericParts(field: Buffer | null) {
  const count = field!.readInt16BE(0);
  return {
    weight: field!.readInt16BE(2),
    sign: field!.readUInt16BE(4),
    scale: field!.readInt16BE(6),
    digits: Array.from({ length: count }, (_, i) => field!.readInt16BE(8 + 2 * i)),
  };
}

describe('copyBinaryChunks', () => {
  it('writes the signature, each row as its field count then its fields, null as length -1, then the trailer', () => {
    const columns: InsertColumn[] = [
      { name: 'id', type: 'text', values: ['a', 'é🎉'] },
      { name: 'n', type: 'int', values: [1, null] },
      { name: 'flag', type: 'boolean', values: [true, undefined] },
    ];
    const rows = readCopy(copyBinaryChunks(columns, 2));
    expect(rows).toHaveLength(2);
    expect(rows[0].map((field) => field?.toString('hex'))).toEqual(['61', '00000001', '01']);
    expect(rows[1][0]?.toString('utf8')).toBe('é🎉');
    expect(rows[1].slice(1)).toEqual([null, null]);
  });

  it('writes text and JSON as their bytes with nothing escaped, jsonb after its version byte, objects as their JSON', () => {
    const text = 'C:\\dir\ttab\nline\rcr "quoted" \\N';
    expect(fieldsOf('text', [text, 42, { a: 1 }]).map((field) => field?.toString('utf8'))).toEqual([text, '42', '{"a":1}']);
    const [stored, object] = fieldsOf('jsonb', ['{"note":"a\\\\b"}', { lines: 'x\ny' }]);
    expect(stored?.[0]).toBe(1);
    expect(stored?.subarray(1).toString('utf8')).toBe('{"note":"a\\\\b"}');
    expect(JSON.parse(object!.subarray(1).toString('utf8'))).toEqual({ lines: 'x\ny' });
  });

  it('writes 32- and 64-bit integers big-endian, from numbers, bigints and decimal text', () => {
    expect(fieldsOf('int', [-2, '7', 2_147_483_647]).map((field) => field?.readInt32BE(0))).toEqual([-2, 7, 2_147_483_647]);
    const big = fieldsOf('bigint', ['9007199254740993', -1, 9_007_199_254_740_991, -(2n ** 63n), '-42']);
    expect(big.map((field) => field?.readBigInt64BE(0))).toEqual([9_007_199_254_740_993n, -1n, 9_007_199_254_740_991n, -(2n ** 63n), -42n]);
  });

  it('writes instants as microseconds since 2000-01-01 UTC, from Dates and ISO-8601 text with any offset', () => {
    const instants = [
      '2000-01-01T00:00:00.000Z',
      '2024-03-01T10:00:00.123Z',
      '2024-03-01T15:30:00.123+05:30',
      '2024-03-01 05:00:00.123456-05',
      '2024-03-01T10:00Z',
      '1999-12-31T23:59:59.9999996Z',
      new Date('2024-03-01T10:00:00.123Z'),
      '1969-07-20T20:17:40.000Z',
    ];
    const micros = fieldsOf('timestamptz', instants).map((field) => field?.readBigInt64BE(0));
    const march = BigInt(Date.UTC(2024, 2, 1, 10) - Date.UTC(2000, 0, 1)) * 1000n;
    const moonLanding = BigInt(Date.UTC(1969, 6, 20, 20, 17, 40) - Date.UTC(2000, 0, 1)) * 1000n;
    expect(micros).toEqual([0n, march + 123_000n, march + 123_000n, march + 123_456n, march, 0n, march + 123_000n, moonLanding]);
  });

  it('writes dates as days since 2000-01-01', () => {
    expect(fieldsOf('date', ['2000-01-01', '2000-01-02', '1999-12-31', '2024-02-29']).map((field) => field?.readInt32BE(0))).toEqual([0, 1, -1, 8825]);
  });

  it('writes numerics as base-10,000 digits with their weight, sign and scale', () => {
    const [fraction, negative, whole, exponent, zero, large] = fieldsOf('numeric', ['12.5', '-0.125', 20000, 1.5e-7, '-0.000', '123456789012345.678']).map(numericParts);
    expect(fraction).toEqual({ weight: 0, sign: 0, scale: 1, digits: [12, 5000] });
    expect(negative).toEqual({ weight: -1, sign: 0x4000, scale: 3, digits: [1250] });
    expect(whole).toEqual({ weight: 1, sign: 0, scale: 0, digits: [2] });
    expect(exponent).toEqual({ weight: -2, sign: 0, scale: 8, digits: [15] });
    expect(zero).toEqual({ weight: 0, sign: 0, scale: 3, digits: [] });
    expect(large).toEqual({ weight: 3, sign: 0, scale: 3, digits: [123, 4567, 8901, 2345, 6780] });
  });

  it('writes a text[] as one dimension of text elements, an empty one as no dimension, a null element as length -1', () => {
    const [pair, empty, withNull] = fieldsOf('text[]', [['FT', 'é'], [], ['x', null]]);
    expect([0, 4, 8, 12, 16].map((at) => pair!.readInt32BE(at))).toEqual([1, 0, 25, 2, 1]);
    expect(pair!.readInt32BE(20)).toBe(2);
    expect(pair!.subarray(24, 26).toString('utf8')).toBe('FT');
    expect(pair!.readInt32BE(26)).toBe(2);
    expect(pair!.subarray(30).toString('utf8')).toBe('é');
    expect([0, 4, 8].map((at) => empty!.readInt32BE(at))).toEqual([0, 0, 25]);
    expect(empty).toHaveLength(12);
    expect([4, 12, 20, 25].map((at) => withNull!.readInt32BE(at))).toEqual([1, 2, 1, -1]);
    expect(withNull!.subarray(24, 25).toString('utf8')).toBe('x');
    expect(withNull).toHaveLength(29);
  });

  it('refuses a value its type cannot take, naming the column, its type and the row', () => {
    const refused = (type: string, value: unknown) => () => copyBinaryChunks([{ name: 'v', type, values: [value] }], 1);
    expect(refused('timestamptz', '2024-03-01T10:00:00')).toThrow('Column v (timestamptz), row 1: "2024-03-01T10:00:00" is not an ISO-8601 instant with a time zone');
    expect(refused('timestamptz', '2024-02-30T10:00:00Z')).toThrow('is not an instant of the calendar');
    expect(refused('date', '2023-02-29')).toThrow('Column v (date), row 1: "2023-02-29" is not a date of the calendar');
    expect(refused('int', 1.5)).toThrow('Column v (int), row 1: 1.5 is not a 32-bit integer');
    expect(refused('int', 2 ** 31)).toThrow('is not a 32-bit integer');
    expect(refused('bigint', '9223372036854775808')).toThrow('is not a 64-bit integer');
    expect(refused('bigint', 2 ** 60)).toThrow('is not a 64-bit integer');
    expect(refused('numeric', 'NaN')).toThrow('Column v (numeric), row 1: "NaN" is not a finite decimal number');
    expect(refused('boolean', 't')).toThrow('is not a boolean');
    expect(() => copyBinaryChunks([{ name: 'v', type: 'uuid', values: [] }], 0)).toThrow('Column v: COPY has no binary form here for type uuid');
  });

  it('splits long input into chunks, never inside a field, and keeps a field longer than a chunk whole', () => {
    const rows = 40_000;
    const long = 'é'.repeat(200_000);
    const notes = Array.from({ length: rows }, (_, i) => (i === 20_000 ? long : `note ${i} é`));
    const chunks = copyBinaryChunks(
      [
        { name: 'id', type: 'text', values: Array.from({ length: rows }, (_, i) => `row-${i}`) },
        { name: 'note', type: 'text', values: notes },
      ],
      rows,
    );
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.some((chunk) => chunk.includes(Buffer.from(long)))).toBe(true);
    const read = readCopy(chunks);
    expect(read).toHaveLength(rows);
    expect(read.every((row, i) => row[0]?.toString('utf8') === `row-${i}` && row[1]?.toString('utf8') === notes[i])).toBe(true);
  });
});
