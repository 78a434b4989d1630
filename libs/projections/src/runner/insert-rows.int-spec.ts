import { openReadStore } from '@revops/read-models';
import type { DataSource } from 'typeorm';
import { usePostgres, type PostgresHandle } from '../../../../test/support/postgres';
import { insertRows, type InsertColumn } from './insert-rows';
import { typeOrmReadStore, type ReadStoreSql } from './read-store-sql';

jest.setTimeout(60_000);

const TABLE_COLUMNS = `id text PRIMARY KEY, note text, n int, big bigint, amount numeric(20,3), flag boolean, at timestamptz, day date, doc jsonb, tags text[]`;

/**
 * Rows that an array literal has to escape, and values that COPY's binary form has to convert:
 * text instants with offsets and microseconds, integers beyond 2^53 and at int8's bounds,
 * numerics with many digits and exponents.
 */
function sampleColumns(): InsertColumn[] {
  const ids = ['plain', 'escapes', 'nulls', 'json', 'edges', 'past'];
  return [
    { name: 'id', type: 'text', values: ids },
    { name: 'note', type: 'text', values: ['hello', 'C:\\dir\ttab\nline\rcr "quoted" {x,y} é 🎉', null, '\\N', 'ünïcødé', 'before 2000'] },
    { name: 'n', type: 'int', values: [1, -2, null, 0, -2_147_483_648, 2_147_483_647] },
    { name: 'big', type: 'bigint', values: ['9007199254740993', '-1', null, '0', -(2n ** 63n), '9223372036854775807'] },
    { name: 'amount', type: 'numeric', values: [12.5, '-0.125', null, 0, '12345678901234567.891', -1234.5] },
    { name: 'flag', type: 'boolean', values: [true, false, null, true, false, true] },
    {
      name: 'at',
      type: 'timestamptz',
      values: ['2024-03-01T10:00:00.123Z', '2024-12-31T23:59:59.999Z', null, '2025-01-01T00:00:00.000Z', '2024-03-01 05:00:00.123456-05:00', '1969-07-20T20:17:40.000Z'],
    },
    { name: 'day', type: 'date', values: ['2024-03-01', '2024-02-29', null, '2025-01-01', '1970-01-01', '1900-03-01'] },
    {
      name: 'doc',
      type: 'jsonb',
      values: ['[]', JSON.stringify({ path: 'C:\\dir', text: 'a\nb\t"c"' }), null, JSON.stringify([{ role: 'champion', note: 'é' }]), '{"n": 1.5e-7}', '{}'],
    },
    { name: 'tags', type: 'text[]', values: [['FT', 'LC'], ['a,b', '{x}', 'say "hi"\\', 'é'], null, [], ['one', null], ['past']] },
  ];
}

describe('insertRows against PostgreSQL', () => {
  let postgres: PostgresHandle;
  let dataSource: DataSource;
  let sql: ReadStoreSql;

  beforeAll(async () => {
    postgres = await usePostgres();
    dataSource = await openReadStore({ url: postgres.url, embedded: postgres.embedded });
    sql = typeOrmReadStore(dataSource);
    await sql.query('CREATE SCHEMA IF NOT EXISTS insert_rows_spec');
  });

  afterAll(async () => {
    await sql.query('DROP SCHEMA IF EXISTS insert_rows_spec CASCADE');
    await dataSource.destroy();
    await postgres.stop();
  });

  async function freshTable(name: string): Promise<string> {
    const table = `insert_rows_spec."${name}"`;
    await sql.query(`DROP TABLE IF EXISTS ${table}`);
    await sql.query(`CREATE TABLE ${table} (${TABLE_COLUMNS})`);
    return table;
  }

  const contents = (table: string) => sql.query(`SELECT *, at::text AS at_text, amount::text AS amount_text FROM ${table} ORDER BY id`);

  it('offers COPY inside a transaction on PostgreSQL, and not on embedded PostgreSQL', async () => {
    const offered = await sql.transaction(async (tx) => tx.copyFrom !== undefined);
    expect(offered).toBe(!postgres.embedded);
  });

  it('stores the same rows through the transaction (COPY where offered) as through a multi-row insert', async () => {
    const copied = await freshTable('copied');
    const inserted = await freshTable('inserted');
    await sql.transaction(async (tx) => {
      await insertRows(tx, copied, sampleColumns());
      await insertRows({ query: (text, parameters) => tx.query(text, parameters) }, inserted, sampleColumns());
    });
    const [viaTransaction, viaInsert] = await Promise.all([contents(copied), contents(inserted)]);
    expect(viaTransaction).toEqual(viaInsert);
    const escapes = viaTransaction.find((row) => row.id === 'escapes');
    expect(escapes).toMatchObject({ note: 'C:\\dir\ttab\nline\rcr "quoted" {x,y} é 🎉', n: -2, big: '-1', amount_text: '-0.125', flag: false });
    expect(escapes?.doc).toEqual({ path: 'C:\\dir', text: 'a\nb\t"c"' });
    const nulls = viaTransaction.find((row) => row.id === 'nulls');
    expect(Object.entries(nulls ?? {}).filter(([key]) => key !== 'id').every(([, value]) => value === null)).toBe(true);
    expect(viaTransaction.find((row) => row.id === 'json')).toMatchObject({ note: '\\N', doc: [{ role: 'champion', note: 'é' }] });
    expect(viaTransaction.find((row) => row.id === 'plain')).toMatchObject({ at_text: '2024-03-01 10:00:00.123+00', big: '9007199254740993' });
    expect(viaTransaction.find((row) => row.id === 'edges')).toMatchObject({
      at_text: '2024-03-01 10:00:00.123456+00',
      big: '-9223372036854775808',
      amount_text: '12345678901234567.891',
      n: -2_147_483_648,
      tags: ['one', null],
    });
    expect(viaTransaction.find((row) => row.id === 'past')).toMatchObject({
      at_text: '1969-07-20 20:17:40+00',
      big: '9223372036854775807',
      amount_text: '-1234.500',
      n: 2_147_483_647,
    });
    expect(escapes?.tags).toEqual(['a,b', '{x}', 'say "hi"\\', 'é']);
    expect(viaTransaction.find((row) => row.id === 'json')?.tags).toEqual([]);
  });

  it('stores rows whose COPY input spans many chunks, multi-byte text split nowhere', async () => {
    const table = await freshTable('many_chunks');
    const rows = 30_000;
    const note = (i: number) => `note ${i} é 🎉 ${'x'.repeat(i % 50)}`;
    await sql.transaction(async (tx) => {
      await insertRows(tx, table, [
        { name: 'id', type: 'text', values: Array.from({ length: rows }, (_, i) => `id-${String(i).padStart(6, '0')}`) },
        { name: 'note', type: 'text', values: Array.from({ length: rows }, (_, i) => note(i)) },
        { name: 'n', type: 'int', values: Array.from({ length: rows }, (_, i) => i) },
      ]);
    });
    const stored = await sql.query<{ id: string; note: string; n: number }>(`SELECT id, note, n FROM ${table} ORDER BY id`);
    expect(stored).toHaveLength(rows);
    expect(stored.every((row, i) => row.n === i && row.note === note(i) && row.id === `id-${String(i).padStart(6, '0')}`)).toBe(true);
  });

  it('names the columns and the types it sent when a column is sent as another type than the table has', async () => {
    const table = await freshTable('mistyped');
    // big is bigint in the table: COPY's binary form of an int is four bytes where the server reads eight.
    const mistyped = sql.transaction(async (tx) => {
      await insertRows(tx, table, [
        { name: 'id', type: 'text', values: ['a'] },
        { name: 'big', type: 'int', values: [7] },
      ]);
    });
    if (postgres.embedded) {
      // Without COPY the rows go as typed arrays, which the server casts.
      await mistyped;
      expect(await sql.query(`SELECT id, big FROM ${table}`)).toEqual([{ id: 'a', big: '7' }]);
    } else {
      await expect(mistyped).rejects.toThrow(`COPY into ${table} sent id as text, big as int; a column's type is not the table's`);
      const wider = sql.transaction((tx) => insertRows(tx, table, [{ name: 'id', type: 'text', values: ['b'] }, { name: 'n', type: 'bigint', values: [7] }]));
      await expect(wider).rejects.toThrow(/sent id as text, n as bigint; a column's type is not the table's: .*column n/);
      expect(await contents(table)).toEqual([]);
    }
  });

  it('keeps nothing of a transaction that fails after its rows went in, nor of one whose rows break a key', async () => {
    const table = await freshTable('rolled_back');
    await expect(
      sql.transaction(async (tx) => {
        await insertRows(tx, table, sampleColumns());
        throw new Error('later statement failed');
      }),
    ).rejects.toThrow('later statement failed');
    await expect(
      sql.transaction(async (tx) => {
        await insertRows(tx, table, [{ name: 'id', type: 'text', values: ['a', 'b', 'a'] }]);
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await contents(table)).toEqual([]);
  });
});
