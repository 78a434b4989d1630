import type { DataSource, QueryRunner } from 'typeorm';

/** One statement's rows and, for INSERT/UPDATE/DELETE, how many rows it touched. */
export interface SqlResult<Row> {
  rows: Row[];
  affected: number;
}

export interface Sql {
  query<Row = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]): Promise<Row[]>;
  execute<Row = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]): Promise<SqlResult<Row>>;
}

/**
 * The read store as the runner needs it. Everything inside `transaction` goes through the
 * transaction's own connection: against embedded PostgreSQL, a query on another connection
 * would wait for this transaction to end, i.e. forever.
 */
export interface ReadStoreSql extends Sql {
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
}

export function typeOrmReadStore(dataSource: DataSource): ReadStoreSql {
  const on = (runner: QueryRunner | undefined): Sql => ({
    query: async <Row>(sql: string, parameters?: readonly unknown[]) =>
      (await runQuery<Row>(dataSource, runner, sql, parameters)).rows,
    execute: <Row>(sql: string, parameters?: readonly unknown[]) => runQuery<Row>(dataSource, runner, sql, parameters),
  });
  return {
    ...on(undefined),
    transaction: async <T>(work: (tx: Sql) => Promise<T>): Promise<T> => {
      const runner = dataSource.createQueryRunner();
      await runner.connect();
      try {
        await runner.startTransaction();
        let result: T;
        try {
          result = await work(on(runner));
          await runner.commitTransaction();
        } catch (error) {
          // The connection may be gone already; the rollback then happens server-side.
          if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
          throw error;
        }
        return result;
      } finally {
        await runner.release();
      }
    },
  };
}

async function runQuery<Row>(
  dataSource: DataSource,
  runner: QueryRunner | undefined,
  sql: string,
  parameters: readonly unknown[] | undefined,
): Promise<SqlResult<Row>> {
  const own = runner ?? dataSource.createQueryRunner();
  try {
    const result = await own.query(sql, parameters ? [...parameters] : undefined, true);
    return { rows: (result.records ?? []) as Row[], affected: result.affected ?? 0 };
  } finally {
    if (!runner) await own.release();
  }
}
