import { Client } from 'pg';
import { usePostgres, type PostgresHandle } from '../../../../test/support/postgres';
import { arrayParameter } from './array-parameters';

jest.setTimeout(60_000);

describe('arrayParameter against PostgreSQL', () => {
  let postgres: PostgresHandle;
  let client: Client;

  beforeAll(async () => {
    postgres = await usePostgres();
    client = new Client({ connectionString: postgres.url });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
    await postgres.stop();
  });

  async function roundTrip(type: string, value: unknown[]): Promise<{ literal: unknown; driver: unknown }> {
    const sent = arrayParameter(value);
    const [literal, driver] = await Promise.all(
      [sent, value].map(async (parameter) => (await client.query(`SELECT $1::${type}[]::text AS a`, [parameter])).rows[0].a as unknown),
    );
    return { literal, driver };
  }

  it.each([
    ['text', ['plain', '', 'NULL', 'null', ' spaced ', 'say "hi"', 'C:\\dir', 'a\\nb', '{x,y}', 'é ünïcode 🎉', null]],
    ['text', ['line\nbreak', 'tab\there']],
    ['numeric', [0, -1.25, 123456789.123456, 1e21, null]],
    ['bigint', [0, -9_007_199_254_740_991, 9_007_199_254_740_991]],
    ['int', [1, 2, null]],
    ['boolean', [true, false, null]],
    ['timestamptz', ['2024-03-01T10:00:00.000Z', null]],
    ['date', ['2024-03-01']],
  ])('gives the same %s[] as the driver would: %j', async (type, value) => {
    const { literal, driver } = await roundTrip(type, value);
    expect(literal).toEqual(driver);
  });

  it('sends a literal for plain arrays, so the fast path is the one exercised above', () => {
    expect(typeof arrayParameter(['plain', 'say "hi"', 'C:\\dir'])).toBe('string');
    expect(typeof arrayParameter([1, null, true])).toBe('string');
  });

  it('reads NULL only where the array held null, never for the text "NULL"', async () => {
    const { rows } = await client.query(`SELECT a IS NULL AS missing FROM unnest($1::text[]) AS a`, [arrayParameter(['NULL', null, 'null'])]);
    expect(rows.map((row: { missing: boolean }) => row.missing)).toEqual([false, true, false]);
  });
});
