import { finished } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import type { DataSource, QueryRunner } from 'typeorm';

/** One statement's rows and, for INSERT/UPDATE/DELETE, how many rows it touched. */
export interface SqlResult<Row> {
  rows: Row[];
  affected: number;
}

export interface Sql {
  query<Row = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]): Promise<Row[]>;
  execute<Row = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]): Promise<SqlResult<Row>>;
  /**
   * Runs a `COPY … FROM STDIN` statement with `chunks` (in the format the statement names, one
   * after the other) as its input. Only inside a transaction, and absent where the server does not
   * take COPY's input over the connection (embedded PostgreSQL): `insertRows` then inserts instead.
   */
  copyFrom?(statement: string, chunks: readonly Buffer[]): Promise<void>;
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
  const on = (runner: QueryRunner | undefined, copy = false): Sql => ({
    query: async <Row>(sql: string, parameters?: readonly unknown[]) =>
      (await runQuery<Row>(dataSource, runner, sql, parameters)).rows,
    execute: <Row>(sql: string, parameters?: readonly unknown[]) => runQuery<Row>(dataSource, runner, sql, parameters),
    ...(runner && copy ? { copyFrom: (statement: string, chunks: readonly Buffer[]) => copyInto(runner, statement, chunks) } : {}),
  });
  let takesCopy: Promise<boolean> | undefined;
  const serverTakesCopy = () => {
    takesCopy ??= takesCopyInput(dataSource).catch((error: unknown) => {
      takesCopy = undefined;
      throw error;
    });
    return takesCopy;
  };
  return {
    ...on(undefined),
    transaction: async <T>(work: (tx: Sql) => Promise<T>): Promise<T> => {
      // Asked before the transaction takes its connection: embedded PostgreSQL has only one.
      const copy = await serverTakesCopy();
      const runner = dataSource.createQueryRunner();
      await runner.connect();
      try {
        await runner.startTransaction();
        let result: T;
        try {
          result = await work(on(runner, copy));
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

/**
 * Whether the server takes COPY's input over the connection. Embedded PostgreSQL (PGlite)
 * does not: its socket server loses the protocol's synchronisation and drops the connection.
 * Asked of the server, since a read store reached by URL may be either.
 */
async function takesCopyInput(dataSource: DataSource): Promise<boolean> {
  const [{ version }] = (await dataSource.query('SELECT version() AS version')) as { version: string }[];
  return !version.includes('PGlite');
}

async function copyInto(runner: QueryRunner, statement: string, chunks: readonly Buffer[]): Promise<void> {
  // TypeORM's PostgreSQL query runner holds the pooled node-postgres client it connected.
  const client = (runner as unknown as { databaseConnection: PoolClient }).databaseConnection;
  const input = client.query(copyFromStdin(statement));
  // All of it is in memory already: the stream holds the chunks until the server asks for them.
  for (const chunk of chunks) input.write(chunk);
  input.end();
  await finished(input);
}
