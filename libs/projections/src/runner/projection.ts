import type { RecordedEnvelope, SubscriptionFilter } from '@revops/event-store';
import type { InsertColumn } from './insert-rows';

/**
 * Which events a projection receives. The event store applies the most selective condition
 * (stream-name prefixes, else the stream regex, else event-type prefixes); the runner checks
 * the rest. System events never arrive.
 */
export type ProjectionFilter = SubscriptionFilter;

/**
 * The Postgres schema that holds one projection version's tables, `rm_<name>_v<version>`.
 * Every version gets its own schema, so a rebuild fills fresh tables while readers still
 * query the previous version's, and retiring a version is one `DROP SCHEMA … CASCADE`.
 */
export interface ProjectionSchema {
  /** Unquoted schema name; a plain lower-case identifier. */
  readonly name: string;
  /** The quoted, schema-qualified name of one of the version's tables: `"rm_pipeline_v2"."stages"`. */
  table(table: string): string;
}

/** The transaction a batch is applied in; the runner adds the checkpoint and commits. */
export interface ProjectionTransaction {
  readonly schema: ProjectionSchema;
  /**
   * The version is being built from the log and does not serve reads yet. A batch may then
   * leave out what `finishRebuild` derives from the other tables at the end (totals kept
   * beside their detail rows): nobody reads them before it has run.
   */
  readonly rebuilding: boolean;
  /** Runs one statement with `$1…` parameters and returns its rows. */
  query<Row = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]): Promise<Row[]>;
  /**
   * Adds rows, given column by column, to one of the version's tables (`table` unqualified):
   * with COPY where the read store takes it, else one multi-row insert. Only rows that no
   * stored row conflicts with; an upsert goes through `query`.
   */
  insertRows(table: string, columns: readonly InsertColumn[]): Promise<void>;
  /** What the projection keeps in memory from one batch to the next. */
  readonly memory: ProjectionMemory;
}

/**
 * Rows a projection wrote, kept by key between the batches of one runner of its version, so
 * that a later batch about the same things need not read them back. It only ever holds what
 * committed: the runner forgets everything when a batch does not commit and whenever it
 * starts following `$all` again (a restart, a moved checkpoint, a lease taken back). It keeps
 * the most recently kept rows up to a bound, so a row may be gone: read it then.
 */
export interface ProjectionMemory {
  get<T extends object>(key: string): T | undefined;
  keep(key: string, value: object): void;
}

/** A memory that keeps nothing: every batch reads back what it needs. */
export const NO_MEMORY: ProjectionMemory = { get: () => undefined, keep: () => undefined };

/**
 * A read model fed from `$all`. Keep the event → row-change logic pure in
 * `<name>.projection.ts` and the SQL in `<name>.writer.ts`; this object ties them together.
 */
export interface Projection {
  /** Lower-case identifier (`[a-z][a-z0-9_]*`); with the version it names the schema. */
  readonly name: string;
  /**
   * A positive integer. Bump it whenever the tables or the meaning of their rows change: the
   * new version is rebuilt from the start of `$all` beside the serving one, and takes over
   * when it has caught up.
   */
  readonly version: number;
  readonly consumes: ProjectionFilter;
  /**
   * DDL for this version's tables, each statement on its own, qualified through `schema`.
   * Runs once, in the transaction that registers the version; the schema exists already.
   */
  createTables(schema: ProjectionSchema): readonly string[];
  /**
   * Indexes that nothing reads while the version catches up from the start of `$all`:
   * `CREATE INDEX IF NOT EXISTS` statements with explicit names, part of the version's
   * definition as `createTables` is. The runner builds them once the version has caught up
   * for the first time, before `finishRebuild`: a build from the finished table sorts once,
   * where keeping the index up to date through the catch-up costs a B-tree insertion per row.
   */
  indexesAfterCatchUp?(schema: ProjectionSchema): readonly string[];
  /**
   * Primary keys that no batch needs while the version catches up from the start of `$all`:
   * of tables `apply` only adds rows to while `tx.rebuilding`, without conflicts, and that
   * `createTables` makes without their key. The runner builds each once the version has caught
   * up for the first time, after `finishRebuild`, as a unique index it then makes the table's
   * primary key (named `<table>_pkey`, as PostgreSQL names a key made with the table). Keys
   * that come in no order make every insertion into an index land on a page of its own; a
   * build from the finished table sorts them once.
   */
  primaryKeysAfterCatchUp?(schema: ProjectionSchema): readonly PrimaryKeyAfterCatchUp[];
  /**
   * Indexes, as `indexesAfterCatchUp` writes them, that `finishRebuild` does not read: of
   * tables whose rows it changes in bulk, so that its changes do not have to keep them up to
   * date, and any others it can do without. The runner builds them after it, before the keys,
   * up to `finishParallelism` at once and in the order listed: list the longest builds first.
   */
  indexesAfterFinish?(schema: ProjectionSchema): readonly string[];
  /**
   * Applies a batch of events, in `$all` order, with set-based SQL (multi-row upserts). It may
   * be called again with the same events after a rollback, never after a commit.
   */
  apply(batch: readonly RecordedEnvelope[], tx: ProjectionTransaction): Promise<void>;
  /**
   * Derives, set-based and from scratch, what `apply` leaves out while `tx.rebuilding`. Runs
   * once a version that does not serve yet has caught up, before it takes over; again after
   * a restart that caught up once more, or after a failure. It may split its work over
   * several transactions (`transactions.run`), some at once: nothing reads the version before
   * the whole of it has run, and it must start over from what the batches left, not from a
   * run cut short. Its result must be what applying every batch with `rebuilding` false
   * would have left.
   */
  finishRebuild?(transactions: RebuildTransactions): Promise<void>;
}

/** A primary key left to the end of the catch-up: its table (unqualified) and its columns, in order. */
export interface PrimaryKeyAfterCatchUp {
  readonly table: string;
  readonly columns: readonly string[];
}

/** Transactions for `finishRebuild`, each committed on its own. */
export interface RebuildTransactions {
  /** How many transactions may usefully run at once: 1 against embedded PostgreSQL, whose one session each holds. */
  readonly parallelism: number;
  /** Runs `work` in a transaction of its own, and resolves once it has committed. */
  run<T>(work: (tx: ProjectionTransaction) => Promise<T>): Promise<T>;
}

const NAME = /^[a-z][a-z0-9_]*$/;
// Postgres truncates identifiers beyond 63 bytes; "rm_" + name + "_v" + 10 digits must fit.
const MAX_NAME_LENGTH = 48;
const MAX_VERSION = 2 ** 31 - 1;

export function validateProjection(projection: Projection): void {
  const { name, version } = projection;
  if (!NAME.test(name) || name.length > MAX_NAME_LENGTH) {
    throw new RangeError(
      `Projection name "${name}" must match ${NAME.source} and have at most ${MAX_NAME_LENGTH} characters`,
    );
  }
  if (!Number.isInteger(version) || version < 1 || version > MAX_VERSION) {
    throw new RangeError(`Projection ${name} has version ${version}; versions are integers from 1 to ${MAX_VERSION}`);
  }
}

/** Refuses a list that names the same projection version twice. */
export function validateProjections(projections: readonly Projection[]): void {
  const seen = new Set<string>();
  for (const projection of projections) {
    validateProjection(projection);
    const key = `${projection.name}@${projection.version}`;
    if (seen.has(key)) throw new RangeError(`Projection ${projection.name} version ${projection.version} is registered twice`);
    seen.add(key);
  }
}

export function projectionSchema(name: string, version: number): ProjectionSchema {
  const schemaName = schemaNameOf(name, version);
  return {
    name: schemaName,
    table: (table) => {
      if (!NAME.test(table)) throw new RangeError(`Table name "${table}" must match ${NAME.source}`);
      return `"${schemaName}"."${table}"`;
    },
  };
}

/**
 * The type of a column that holds an identifier (a deal's, a contact's, a person key…): text
 * compared byte by byte. An identifier has no language to sort by. Under the database's
 * default collation, where that is a libc one other than C (C.UTF-8, en_US.UTF-8), PostgreSQL
 * compares text through strcoll and sorts it without abbreviated keys: building the stays'
 * key (opportunity_id, seq) over 625,000 stays took 0.94 s under C.UTF-8 against 0.46 s, and
 * the amount figures' key 0.40 s against 0.23 s. Equality, and so every join on an
 * identifier, is the same under either.
 */
export const IDENTIFIER = 'text COLLATE "C"';

/**
 * Writes the statements of `indexesAfterCatchUp` in `schema`: each index named, so that
 * building it again (a rebuild resumed after a crash, or tables made before the index was
 * left to the end) does nothing.
 */
export function indexAfterCatchUp(schema: ProjectionSchema): (name: string, table: string, definition: string) => string {
  return (name, table, definition) => `CREATE INDEX IF NOT EXISTS ${name} ON ${schema.table(table)} ${definition}`;
}

/**
 * The statements that give `key`'s table its primary key once its rows are in: a unique index
 * built unless a run cut short left it, then made the key unless it is already. Each index
 * build takes a lock that lets other tables' builds run beside it; only the short step that
 * makes it the key locks its table against everything.
 */
export function primaryKeyAfterCatchUp(schema: ProjectionSchema, key: PrimaryKeyAfterCatchUp): { build: string; attach: string } {
  const name = `${key.table}_pkey`;
  const table = schema.table(key.table);
  return {
    build: `CREATE UNIQUE INDEX IF NOT EXISTS ${name} ON ${table} (${key.columns.join(', ')})`,
    attach: `DO $$ BEGIN
               IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '${table}'::regclass AND contype = 'p') THEN
                 ALTER TABLE ${table} ADD CONSTRAINT ${name} PRIMARY KEY USING INDEX ${name};
               END IF;
             END $$`,
  };
}

/**
 * What a rebuild builds once `finishRebuild` has run: the indexes left to the end of the
 * finish, in the order the projection lists them, then the keys left to the end of the
 * catch-up. Each step is a list of statements for a transaction of its own; steps start in
 * this order as connections come free. A key comes last because making it the key locks its
 * table against the index builds on it: started after them, it waits for none or little.
 */
export function stepsAfterFinish(projection: Projection, schema: ProjectionSchema): string[][] {
  return [
    ...(projection.indexesAfterFinish?.(schema) ?? []).map((index) => [index]),
    ...(projection.primaryKeysAfterCatchUp?.(schema) ?? []).map((key) => {
      const { build, attach } = primaryKeyAfterCatchUp(schema, key);
      return [build, attach];
    }),
  ];
}

/**
 * What a version's tables are once it serves, as DDL: its tables, then the indexes and keys a
 * rebuild leaves to the end of its catch-up or its finish.
 */
export function servingDefinition(projection: Projection, schema: ProjectionSchema): string[] {
  return [
    ...projection.createTables(schema),
    ...(projection.indexesAfterCatchUp?.(schema) ?? []),
    ...(projection.primaryKeysAfterCatchUp?.(schema) ?? []).map((key) => `ALTER TABLE ${schema.table(key.table)} ADD PRIMARY KEY (${key.columns.join(', ')})`),
    ...(projection.indexesAfterFinish?.(schema) ?? []),
  ];
}

export function schemaNameOf(name: string, version: number): string {
  return `rm_${name}_v${version}`;
}
