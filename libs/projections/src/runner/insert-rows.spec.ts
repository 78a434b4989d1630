import { insertRows } from './insert-rows';

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
