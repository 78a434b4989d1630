import { utcText } from '@revops/projections';
import type { ReadModelView } from '../../common/read-side/read-models';
import type { Account } from '../graphql/account-read.types';
import { moneyOf } from '../graphql/money.types';

interface StoredAccount {
  account_id: string;
  name: string;
  domain: string;
  industry: string | null;
  employee_band: string | null;
  country: string | null;
  annual_revenue_minor: string | null;
  annual_revenue_currency: string | null;
  created_at: string;
}

/** The accounts with these ids, in one statement; unknown ids are left out. */
export async function readAccounts(view: ReadModelView, ids: readonly string[]): Promise<Account[]> {
  const rows = await view.query<StoredAccount>(
    `SELECT account_id, name, domain, industry, employee_band, country, annual_revenue_minor::text AS annual_revenue_minor,
            annual_revenue_currency, ${utcText('created_at')} AS created_at
       FROM ${view.table('accounts', 'accounts')}
      WHERE account_id = ANY($1::text[])`,
    [ids],
  );
  return rows.map((row) => ({
    id: row.account_id,
    name: row.name,
    domain: row.domain,
    industry: row.industry,
    employeeBand: row.employee_band,
    country: row.country,
    annualRevenue: moneyOf(row.annual_revenue_minor, row.annual_revenue_currency),
    createdAt: row.created_at,
  }));
}
