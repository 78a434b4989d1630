import { copyText, insertRows, type InsertColumn } from './insert-rows';

describe('copyText', () => {
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
