import { Client } from 'pg';
import { usePostgres, type PostgresHandle } from '../../../test/support/postgres';
import { allProjections } from './all-projections';
import { attributionProjection } from './attribution/attribution.writer';
import { projectionSchema, servingDefinition } from './runner/projection';

/** Columns that hold an identifier: a key of something, never prose. */
const IDENTIFIER_COLUMN = /(_id|^person_key|^merged_into)$/;

describe('Identifier columns of every read model', () => {
  let postgres: PostgresHandle;
  let client: Client;
  let columns: { table_schema: string; table_name: string; column_name: string; collation_name: string | null }[];

  beforeAll(async () => {
    postgres = await usePostgres();
    client = new Client({ connectionString: postgres.url });
    await client.connect();
    // Each read model's tables as they are once its version serves, in its own schema.
    for (const projection of allProjections) {
      const schema = projectionSchema(projection.name, projection.version);
      await client.query(`CREATE SCHEMA "${schema.name}"`);
      for (const statement of servingDefinition(projection, schema)) await client.query(statement);
    }
    const { rows } = await client.query<(typeof columns)[number]>(
      `SELECT table_schema, table_name, column_name, collation_name FROM information_schema.columns
        WHERE table_schema LIKE 'rm\\_%' AND data_type = 'text' ORDER BY 1, 2, 3`,
    );
    columns = rows;
  }, 60_000);

  afterAll(async () => {
    await client?.end();
    await postgres?.stop();
  });

  it('compare by their bytes, whatever the database collation', () => {
    const identifiers = columns.filter(({ column_name }) => IDENTIFIER_COLUMN.test(column_name));
    // Every read model has some: the check is not vacuous.
    expect(new Set(identifiers.map(({ table_schema }) => table_schema)).size).toBe(allProjections.length);
    const otherwise = identifiers.filter(({ collation_name }) => collation_name !== 'C').map(({ table_schema, table_name, column_name }) => `${table_schema}.${table_name}.${column_name}`);
    expect(otherwise).toEqual([]);
  });

  it('leave prose to the database collation', () => {
    const prose = columns.filter(({ column_name }) => ['name', 'loss_note', 'note', 'email', 'job_title'].includes(column_name));
    expect(prose.length).toBeGreaterThan(0);
    expect(prose.filter(({ collation_name }) => collation_name !== null)).toEqual([]);
  });

  it('match parameters of the database collation, and sort byte by byte', async () => {
    const dealContacts = `"${projectionSchema(attributionProjection.name, attributionProjection.version).name}".deal_contacts`;
    await client.query(`INSERT INTO ${dealContacts} (opportunity_id, contact_id) VALUES ('opp-a', 'contact-1'), ('opp-B', 'contact-2')`);
    // A parameter has the database collation; against an identifier it takes the identifier's.
    const { rows: found } = await client.query(
      `SELECT dc.contact_id FROM ${dealContacts} dc JOIN unnest($1::text[]) AS id(opportunity_id) ON id.opportunity_id = dc.opportunity_id`,
      [['opp-a']],
    );
    expect(found).toEqual([{ contact_id: 'contact-1' }]);
    // 'B' (0x42) before 'a' (0x61), as JavaScript sorts them too; a language's collation puts a first.
    const { rows: sorted } = await client.query(`SELECT opportunity_id FROM ${dealContacts} ORDER BY opportunity_id`);
    expect(sorted.map(({ opportunity_id }) => opportunity_id)).toEqual(['opp-a', 'opp-B'].sort());
  });
});
