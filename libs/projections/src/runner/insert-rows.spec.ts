import { copyChunks, insertRows, type InsertColumn } from './insert-rows';

const copyText = (columns: InsertColumn[], count: number) => Buffer.concat(copyChunks(columns, count)).toString('utf8');

describe('copyChunks', () => {
  it('writes a line per row, fields split by tabs, null as \\N', () => {
    const columns: InsertColumn[] = [
      { name: 'id', type: 'text', values: ['a', 'b'] },
      { name: 'n', type: 'int', values: [1, null] },
      { name: 'flag', type: 'boolean', values: [true, undefined] },
    ];
    expect(copyText(columns, 2)).toBe('a\t1\ttrue\nb\t\\N\t\\N\n');
  });

  it('escapes backslashes, tabs, newlines and carriage returns, and leaves the rest as it is', () => {
    const columns: InsertColumn[] = [{ name: 'v', type: 'text', values: ['C:\\dir', 'tab\there', 'two\nlines', 'cr\rlf', '\\N', 'say "hi" é 🎉'] }];
    expect(copyText(columns, 6)).toBe('C:\\\\dir\ntab\\there\ntwo\\nlines\ncr\\rlf\n\\\\N\nsay "hi" é 🎉\n');
  });

  it('writes objects as their JSON, escaped like any text', () => {
    const columns: InsertColumn[] = [{ name: 'doc', type: 'jsonb', values: [{ note: 'a\\b', lines: 'x\ny' }] }];
    expect(copyText(columns, 1)).toBe('{"note":"a\\\\\\\\b","lines":"x\\\\ny"}\n');
  });

  it('splits long input into chunks of whole lines, and keeps a line longer than a chunk whole', () => {
    const rows = 40_000;
    const long = 'é'.repeat(200_000);
    const columns: InsertColumn[] = [
      { name: 'id', type: 'text', values: Array.from({ length: rows }, (_, i) => `row-${i}`) },
      { name: 'note', type: 'text', values: Array.from({ length: rows }, (_, i) => (i === 20_000 ? long : 'x')) },
    ];
    const chunks = copyChunks(columns, rows);
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) expect(chunk[chunk.length - 1]).toBe(0x0a);
    expect(chunks.some((chunk) => chunk.toString('utf8').startsWith(`row-20000\t${long}\n`))).toBe(true);
    const lines = Buffer.concat(chunks).toString('utf8').split('\n');
    expect(lines).toHaveLength(rows + 1);
    expect(lines[0]).toBe('row-0\tx');
    expect(lines[20_000]).toBe(`row-20000\t${long}`);
    expect(lines[rows - 1]).toBe(`row-${rows - 1}\tx`);
    expect(lines[rows]).toBe('');
  });

  it('writes no chunk for no rows', () => {
    expect(copyChunks([{ name: 'id', type: 'text', values: [] }], 0)).toEqual([]);
  });
});

describe('insertRows', () => {
  it('refuses columns of different lengths, naming them', async () => {
    const sql = { query: jest.fn() };
    await expect(
      insertRows(sql, '"s"."t"', [
        { name: 'id', type: 'text', values: ['a', 'b'] },
        { name: 'n', type: 'int', values: [1] },
      ]),
    ).rejects.toThrow('Column n of an insert into "s"."t" has 1 values; id has 2');
    expect(sql.query).not.toHaveBeenCalled();
  });

  it('sends nothing for no rows', async () => {
    const sql = { query: jest.fn(), copyFrom: jest.fn() };
    await insertRows(sql, '"s"."t"', [{ name: 'id', type: 'text', values: [] }]);
    expect(sql.query).not.toHaveBeenCalled();
    expect(sql.copyFrom).not.toHaveBeenCalled();
  });
});
