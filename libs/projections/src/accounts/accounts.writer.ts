import { IDENTIFIER, type Projection, type ProjectionSchema, type ProjectionTransaction } from '../runner/projection';
import { accountChanges, type AccountChanges } from './accounts.projection';

export const ACCOUNTS_PROJECTION = 'accounts';

/** `accounts`: one row per company. Who works there is in the contacts projection (`contact_accounts`). */
export const accountsProjection: Projection = {
  name: ACCOUNTS_PROJECTION,
  // v2 compares identifiers by their bytes (IDENTIFIER).
  version: 2,
  consumes: { streamNamePrefixes: ['account-'] },
  createTables: (schema: ProjectionSchema) => [
    `CREATE TABLE ${schema.table('accounts')} (
       account_id ${IDENTIFIER} PRIMARY KEY,
       name text NOT NULL,
       domain text NOT NULL,
       industry text,
       employee_band text,
       country char(2),
       annual_revenue_minor bigint,
       annual_revenue_currency char(3),
       created_at timestamptz NOT NULL,
       updated_at timestamptz NOT NULL,
       stream_revision bigint NOT NULL
     )`,
    `CREATE INDEX ON ${schema.table('accounts')} (domain)`,
  ],
  apply: (batch, tx) => writeAccounts(accountChanges(batch), tx),
};

export async function writeAccounts(changes: AccountChanges, tx: ProjectionTransaction): Promise<void> {
  const table = tx.schema.table('accounts');
  const { accounts, touches } = changes;
  if (accounts.length > 0) {
    await tx.query(
      `INSERT INTO ${table}
         (account_id, name, domain, industry, employee_band, country, annual_revenue_minor, annual_revenue_currency,
          created_at, updated_at, stream_revision)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[],
                            $9::timestamptz[], $10::timestamptz[], $11::bigint[])
       ON CONFLICT (account_id) DO UPDATE
          SET name = excluded.name, domain = excluded.domain, industry = excluded.industry,
              employee_band = excluded.employee_band, country = excluded.country,
              annual_revenue_minor = excluded.annual_revenue_minor, annual_revenue_currency = excluded.annual_revenue_currency,
              created_at = excluded.created_at, updated_at = excluded.updated_at, stream_revision = excluded.stream_revision`,
      [
        accounts.map((row) => row.accountId),
        accounts.map((row) => row.name),
        accounts.map((row) => row.domain),
        accounts.map((row) => row.industry),
        accounts.map((row) => row.employeeBand),
        accounts.map((row) => row.country),
        accounts.map((row) => row.annualRevenueMinor),
        accounts.map((row) => row.annualRevenueCurrency),
        accounts.map((row) => row.createdAt),
        accounts.map((row) => row.updatedAt),
        accounts.map((row) => row.streamRevision.toString()),
      ],
    );
  }
  if (touches.length > 0) {
    // The account was created in an earlier batch, so its row is there; the revision guard
    // keeps a batch applied again after a rollback from moving anything backwards.
    await tx.query(
      `UPDATE ${table} a SET updated_at = t.updated_at, stream_revision = t.stream_revision
         FROM unnest($1::text[], $2::timestamptz[], $3::bigint[]) AS t(account_id, updated_at, stream_revision)
        WHERE a.account_id = t.account_id AND a.stream_revision < t.stream_revision`,
      [touches.map((row) => row.accountId), touches.map((row) => row.updatedAt), touches.map((row) => row.streamRevision.toString())],
    );
  }
}
