import type { Position } from '@revops/event-store';
import { CheckpointMovedError, ProjectionNotStalledError, ProjectionSkipMismatchError } from './errors';
import type { CheckpointStatus } from './lag';
import { formatPosition, fromStored, toParameters, type StoredPosition } from './positions';
import { projectionSchema, type Projection } from './projection';
import type { ReadStoreSql, Sql } from './read-store-sql';

export interface VersionKey {
  readonly name: string;
  readonly version: number;
}

export interface OpenFailure {
  readonly position: Position | null;
  readonly eventId: string | null;
  readonly streamName: string | null;
  readonly eventType: string | null;
  readonly error: string;
  readonly attempts: number;
  readonly failedAt: Date;
}

/** Which version of a projection serves reads, where its tables are and how far it has read. */
export interface ServingState {
  readonly name: string;
  readonly version: number;
  readonly schemaName: string;
  readonly checkpoint: Position | null;
}

/** A projection version as projection_checkpoints, projection_versions and projection_serving describe it. */
export interface VersionRecord extends VersionKey {
  readonly checkpoint: Position | null;
  readonly status: CheckpointStatus;
  readonly serving: boolean;
  readonly schemaName: string;
  readonly createdAt: Date;
  readonly caughtUpAt: Date | null;
  readonly retiredAt: Date | null;
  readonly tablesDroppedAt: Date | null;
  readonly eventsApplied: number;
  readonly lastEventRecordedAt: Date | null;
  readonly lastCommittedAt: Date | null;
  readonly eventsPerSecond: number;
  readonly updatedAt: Date;
  readonly failure: OpenFailure | null;
}

export interface CommitProgress {
  /** Where the runner left the checkpoint: the compare-and-set that fences other writers. */
  readonly expected: Position | null;
  readonly checkpoint: Position;
  readonly events: number;
  readonly lastRecordedAt: Date | null;
  readonly eventsPerSecond: number;
}

export interface FailureReport {
  readonly position: Position | null;
  readonly eventId: string | null;
  readonly streamName: string | null;
  readonly eventType: string | null;
  readonly error: string;
  readonly attempts: number;
}

export interface CaughtUpOutcome {
  readonly status: CheckpointStatus;
  /** The version serving reads once this committed. */
  readonly servingVersion: number | null;
  /** Versions this switch retired. */
  readonly retired: readonly number[];
}

export interface Operator {
  /** Who acts (a user id, `cli:<login>`…), kept with the failure for audit. */
  readonly by: string;
  readonly reason: string;
}

const RUNNER = 'projection-runner';

interface StoredErrorPosition {
  error_commit_position: string | null;
  error_prepare_position: string | null;
}

const SELECT_VERSIONS = `
  SELECT c.projection_name, c.projection_version, c.commit_position, c.prepare_position, c.status, c.last_error,
         c.updated_at, v.schema_name, v.created_at, v.caught_up_at, v.retired_at, v.tables_dropped_at,
         v.events_applied::text AS events_applied, v.last_event_recorded_at, v.last_committed_at, v.events_per_second,
         coalesce(s.serving_version = c.projection_version, false) AS serving,
         f.commit_position AS failure_commit_position, f.prepare_position AS failure_prepare_position,
         f.event_id AS failure_event_id, f.stream_name AS failure_stream_name, f.event_type AS failure_event_type,
         f.error AS failure_error, f.attempts AS failure_attempts, f.failed_at AS failure_failed_at
    FROM projection_checkpoints c
    JOIN projection_versions v
      ON v.projection_name = c.projection_name AND v.projection_version = c.projection_version
    LEFT JOIN projection_serving s ON s.projection_name = c.projection_name
    LEFT JOIN projection_failures f
      ON f.projection_name = c.projection_name AND f.projection_version = c.projection_version AND f.resolved_at IS NULL`;

interface VersionRow extends StoredPosition {
  projection_name: string;
  projection_version: number;
  status: CheckpointStatus;
  last_error: string | null;
  updated_at: Date;
  schema_name: string;
  created_at: Date;
  caught_up_at: Date | null;
  retired_at: Date | null;
  tables_dropped_at: Date | null;
  events_applied: string;
  last_event_recorded_at: Date | null;
  last_committed_at: Date | null;
  events_per_second: number;
  serving: boolean;
  failure_commit_position: string | null;
  failure_prepare_position: string | null;
  failure_event_id: string | null;
  failure_stream_name: string | null;
  failure_event_type: string | null;
  failure_error: string | null;
  failure_attempts: number | null;
  failure_failed_at: Date | null;
}

/**
 * The runner's records in the read store: checkpoints, versions, the serving version and
 * failures. Every change of a checkpoint is a compare-and-set on the position the caller
 * last saw, so two writers can never both move it.
 */
export class ProjectionBookkeeping {
  constructor(private readonly sql: ReadStoreSql) {}

  /**
   * Creates the version's checkpoint, its schema and its tables in one transaction the first
   * time it is seen, and returns its record.
   */
  async register(projection: Projection): Promise<VersionRecord> {
    const { name, version } = projection;
    const schema = projectionSchema(name, version);
    await this.sql.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO projection_checkpoints (projection_name, projection_version, status)
         VALUES ($1, $2, 'building') ON CONFLICT DO NOTHING`,
        [name, version],
      );
      const created = await tx.execute(
        `INSERT INTO projection_versions (projection_name, projection_version, schema_name)
         VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [name, version, schema.name],
      );
      if (created.affected === 0) return;
      // Fresh tables start from the beginning of $all, whatever a checkpoint row written
      // without them (or a schema left by a restore without its bookkeeping) says.
      await tx.query(
        `UPDATE projection_checkpoints
            SET commit_position = NULL, prepare_position = NULL, status = 'building', last_error = NULL,
                error_commit_position = NULL, error_prepare_position = NULL, updated_at = now()
          WHERE projection_name = $1 AND projection_version = $2`,
        [name, version],
      );
      await tx.query(`DROP SCHEMA IF EXISTS "${schema.name}" CASCADE`);
      await tx.query(`CREATE SCHEMA "${schema.name}"`);
      for (const statement of projection.createTables(schema)) await tx.query(statement);
    });
    const record = await this.read(projection);
    if (!record) throw new Error(`Projection ${name} version ${version} vanished right after it was registered`);
    return record;
  }

  async read(key: VersionKey, sql: Sql = this.sql): Promise<VersionRecord | null> {
    const rows = await sql.query<VersionRow>(
      `${SELECT_VERSIONS} WHERE c.projection_name = $1 AND c.projection_version = $2`,
      [key.name, key.version],
    );
    return rows.length === 0 ? null : toRecord(rows[0]);
  }

  /** Every version, or those of one projection, by name then version. */
  async list(name?: string): Promise<VersionRecord[]> {
    const rows = await this.sql.query<VersionRow>(
      `${SELECT_VERSIONS} ${name === undefined ? '' : 'WHERE c.projection_name = $1'}
       ORDER BY c.projection_name, c.projection_version`,
      name === undefined ? [] : [name],
    );
    return rows.map(toRecord);
  }

  /** The serving version of a projection and its checkpoint, in one query: read on every waitForPosition poll. */
  async serving(name: string): Promise<ServingState | null> {
    const [state] = await this.servingStates([name]);
    return state ?? null;
  }

  /** The serving version, its schema and its checkpoint of each named projection that has one, in one query. */
  async servingStates(names: readonly string[]): Promise<ServingState[]> {
    const rows = await this.sql.query<StoredPosition & { projection_name: string; serving_version: number; schema_name: string }>(
      `SELECT s.projection_name, s.serving_version, v.schema_name, c.commit_position, c.prepare_position
         FROM projection_serving s
         JOIN projection_checkpoints c
           ON c.projection_name = s.projection_name AND c.projection_version = s.serving_version
         JOIN projection_versions v
           ON v.projection_name = s.projection_name AND v.projection_version = s.serving_version
        WHERE s.projection_name = ANY($1::text[])
        ORDER BY s.projection_name`,
      [names],
    );
    return rows.map((row) => ({ name: row.projection_name, version: row.serving_version, schemaName: row.schema_name, checkpoint: fromStored(row) }));
  }

  /**
   * Moves the checkpoint inside the batch transaction `tx`, after the read-model writes. Fails
   * with CheckpointMovedError (and the caller rolls back) when the row is not where the runner
   * left it or the version no longer runs.
   */
  async commit(tx: Sql, key: VersionKey, progress: CommitProgress): Promise<void> {
    const [expectedCommit, expectedPrepare] = toParameters(progress.expected);
    const [commit, prepare] = toParameters(progress.checkpoint);
    const { affected } = await tx.execute(
      `WITH moved AS (
         UPDATE projection_checkpoints
            SET commit_position = $3, prepare_position = $4, updated_at = now()
          WHERE projection_name = $1 AND projection_version = $2
            AND commit_position IS NOT DISTINCT FROM $5::numeric
            AND prepare_position IS NOT DISTINCT FROM $6::numeric
            AND status IN ('building', 'live')
         RETURNING projection_name, projection_version
       )
       UPDATE projection_versions v
          SET events_applied = v.events_applied + $7,
              last_event_recorded_at = coalesce($8, v.last_event_recorded_at),
              last_committed_at = now(),
              events_per_second = $9
         FROM moved
        WHERE v.projection_name = moved.projection_name AND v.projection_version = moved.projection_version`,
      [
        key.name,
        key.version,
        commit,
        prepare,
        expectedCommit,
        expectedPrepare,
        progress.events,
        progress.lastRecordedAt,
        progress.eventsPerSecond,
      ],
    );
    if (affected !== 1) {
      throw new CheckpointMovedError(`The checkpoint of ${key.name} version ${key.version} moved under this runner`);
    }
  }

  /** Records a stall: the version stops at `expected` with the failure as its open error. */
  async stall(key: VersionKey, expected: Position | null, failure: FailureReport): Promise<void> {
    const [expectedCommit, expectedPrepare] = toParameters(expected);
    const [commit, prepare] = toParameters(failure.position);
    await this.sql.transaction(async (tx) => {
      const { affected } = await tx.execute(
        `UPDATE projection_checkpoints
            SET status = 'failed', last_error = $3, error_commit_position = $4, error_prepare_position = $5, updated_at = now()
          WHERE projection_name = $1 AND projection_version = $2
            AND commit_position IS NOT DISTINCT FROM $6::numeric
            AND prepare_position IS NOT DISTINCT FROM $7::numeric
            AND status IN ('building', 'live')`,
        [key.name, key.version, failure.error, commit, prepare, expectedCommit, expectedPrepare],
      );
      if (affected !== 1) {
        throw new CheckpointMovedError(`The checkpoint of ${key.name} version ${key.version} moved under this runner`);
      }
      await tx.query(
        `INSERT INTO projection_failures
           (projection_name, projection_version, commit_position, prepare_position, event_id, stream_name, event_type, error, attempts)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          key.name,
          key.version,
          commit,
          prepare,
          failure.eventId,
          failure.streamName,
          failure.eventType,
          failure.error,
          failure.attempts,
        ],
      );
    });
  }

  /**
   * The version has reached the end of `$all`: it is live from now on, and if it is newer
   * than the serving version it takes over, and every older version is retired.
   */
  async caughtUp(key: VersionKey): Promise<CaughtUpOutcome> {
    return this.sql.transaction(async (tx) => {
      const [row] = await tx.query<{ status: CheckpointStatus }>(
        `SELECT status FROM projection_checkpoints WHERE projection_name = $1 AND projection_version = $2 FOR UPDATE`,
        [key.name, key.version],
      );
      if (!row) throw new CheckpointMovedError(`Projection ${key.name} version ${key.version} is not registered`);
      if (row.status !== 'building' && row.status !== 'live') {
        return { status: row.status, servingVersion: await servingVersionOf(tx, key.name), retired: [] };
      }
      await tx.query(
        `UPDATE projection_checkpoints SET status = 'live', updated_at = now()
          WHERE projection_name = $1 AND projection_version = $2 AND status = 'building'`,
        [key.name, key.version],
      );
      await tx.query(
        `UPDATE projection_versions SET caught_up_at = coalesce(caught_up_at, now())
          WHERE projection_name = $1 AND projection_version = $2`,
        [key.name, key.version],
      );
      // Only ever forwards: an older version catching up late must not take reads back.
      const switched = await tx.query(
        `INSERT INTO projection_serving (projection_name, serving_version) VALUES ($1, $2)
         ON CONFLICT (projection_name) DO UPDATE SET serving_version = excluded.serving_version, switched_at = now()
          WHERE projection_serving.serving_version < excluded.serving_version
         RETURNING serving_version`,
        [key.name, key.version],
      );
      const servingVersion = await servingVersionOf(tx, key.name);
      if (servingVersion !== null && servingVersion > key.version) {
        // Registered after a newer version took over (an older deploy): it would never serve.
        await retire(tx, key.name, [key.version], `version ${servingVersion} serves already`);
        return { status: 'retired', servingVersion, retired: [] };
      }
      const retired =
        switched.length === 0 ? [] : await retireOlderThan(tx, key, `version ${key.version} caught up and took over`);
      return { status: 'live', servingVersion, retired };
    });
  }

  /** Retired versions whose tables have outlived the grace period readers get after a switch. */
  async dueForDrop(name: string, graceMs: number): Promise<VersionKey[]> {
    const rows = await this.sql.query<{ projection_version: number }>(
      `SELECT v.projection_version
         FROM projection_versions v
         JOIN projection_checkpoints c
           ON c.projection_name = v.projection_name AND c.projection_version = v.projection_version
        WHERE v.projection_name = $1 AND c.status = 'retired' AND v.tables_dropped_at IS NULL
          AND v.retired_at <= now() - $2::double precision * interval '1 millisecond'
        ORDER BY v.projection_version`,
      [name, graceMs],
    );
    return rows.map((row) => ({ name, version: row.projection_version }));
  }

  async dropTables(key: VersionKey): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const [row] = await tx.query<{ schema_name: string }>(
        `SELECT v.schema_name
           FROM projection_versions v
           JOIN projection_checkpoints c
             ON c.projection_name = v.projection_name AND c.projection_version = v.projection_version
          WHERE v.projection_name = $1 AND v.projection_version = $2 AND c.status = 'retired' AND v.tables_dropped_at IS NULL
          FOR UPDATE OF v`,
        [key.name, key.version],
      );
      if (!row) return;
      await tx.query(`DROP SCHEMA IF EXISTS "${row.schema_name}" CASCADE`);
      await tx.query(
        `UPDATE projection_versions SET tables_dropped_at = now() WHERE projection_name = $1 AND projection_version = $2`,
        [key.name, key.version],
      );
    });
  }

  /**
   * Clears a stall so the runner retries from the checkpoint, typically after a fix of the
   * projection was deployed under the same version.
   */
  async resume(key: VersionKey, operator: Operator): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await lockStalled(tx, key);
      await reopen(tx, key, null);
      await resolveFailure(tx, key, 'resumed', operator);
    });
  }

  /**
   * Moves the checkpoint past the event the version stalled on, so it is never applied. The
   * caller names the position it means to skip, so a stale request cannot skip another event.
   */
  async skip(key: VersionKey, position: Position, operator: Operator): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const stalled = await lockStalled(tx, key);
      if (stalled.errorPosition === null) {
        throw new ProjectionSkipMismatchError(
          `Projection ${key.name} version ${key.version} stalled before reading its event; ` +
            'there is no event to skip, resume it instead',
        );
      }
      if (stalled.errorPosition.commit !== position.commit || stalled.errorPosition.prepare !== position.prepare) {
        throw new ProjectionSkipMismatchError(
          `Projection ${key.name} version ${key.version} stalled at ${formatPosition(stalled.errorPosition)}, ` +
            `not at ${formatPosition(position)}`,
        );
      }
      await reopen(tx, key, stalled.errorPosition);
      await resolveFailure(tx, key, 'skipped', operator);
    });
  }
}

async function servingVersionOf(tx: Sql, name: string): Promise<number | null> {
  const [row] = await tx.query<{ serving_version: number }>(
    'SELECT serving_version FROM projection_serving WHERE projection_name = $1',
    [name],
  );
  return row?.serving_version ?? null;
}

async function retireOlderThan(tx: Sql, key: VersionKey, reason: string): Promise<number[]> {
  const older = await tx.query<{ projection_version: number }>(
    `SELECT projection_version FROM projection_checkpoints
      WHERE projection_name = $1 AND projection_version < $2 AND status <> 'retired'
      ORDER BY projection_version`,
    [key.name, key.version],
  );
  const versions = older.map((row) => row.projection_version);
  await retire(tx, key.name, versions, reason);
  return versions;
}

async function retire(tx: Sql, name: string, versions: readonly number[], reason: string): Promise<void> {
  if (versions.length === 0) return;
  await tx.query(
    `UPDATE projection_checkpoints SET status = 'retired', updated_at = now()
      WHERE projection_name = $1 AND projection_version = ANY($2::int[])`,
    [name, versions],
  );
  await tx.query(
    `UPDATE projection_versions SET retired_at = now()
      WHERE projection_name = $1 AND projection_version = ANY($2::int[]) AND retired_at IS NULL`,
    [name, versions],
  );
  // A stalled version that a newer one replaces needs no other fix: its stall ends here.
  await tx.query(
    `UPDATE projection_failures
        SET resolution = 'replaced', resolved_at = now(), resolved_by = $3, resolution_reason = $4
      WHERE projection_name = $1 AND projection_version = ANY($2::int[]) AND resolved_at IS NULL`,
    [name, versions, RUNNER, reason],
  );
}

async function lockStalled(tx: Sql, key: VersionKey): Promise<{ errorPosition: Position | null }> {
  const [row] = await tx.query<StoredErrorPosition & { status: CheckpointStatus }>(
    `SELECT status, error_commit_position, error_prepare_position
       FROM projection_checkpoints WHERE projection_name = $1 AND projection_version = $2 FOR UPDATE`,
    [key.name, key.version],
  );
  if (!row || row.status !== 'failed') {
    throw new ProjectionNotStalledError(
      `Projection ${key.name} version ${key.version} is ${row ? row.status : 'not registered'}, not stalled`,
    );
  }
  return { errorPosition: fromStored(row, 'error_') };
}

/** Back to building or live (whichever it was before the stall), optionally past the failed event. */
async function reopen(tx: Sql, key: VersionKey, skipTo: Position | null): Promise<void> {
  const [commit, prepare] = toParameters(skipTo);
  await tx.query(
    `UPDATE projection_checkpoints c
        SET status = CASE WHEN v.caught_up_at IS NULL THEN 'building' ELSE 'live' END,
            last_error = NULL, error_commit_position = NULL, error_prepare_position = NULL,
            commit_position = coalesce($3::numeric, c.commit_position),
            prepare_position = coalesce($4::numeric, c.prepare_position),
            updated_at = now()
       FROM projection_versions v
      WHERE c.projection_name = $1 AND c.projection_version = $2
        AND v.projection_name = c.projection_name AND v.projection_version = c.projection_version`,
    [key.name, key.version, commit, prepare],
  );
}

async function resolveFailure(tx: Sql, key: VersionKey, resolution: 'resumed' | 'skipped', operator: Operator): Promise<void> {
  await tx.query(
    `UPDATE projection_failures
        SET resolution = $3, resolved_at = now(), resolved_by = $4, resolution_reason = $5
      WHERE projection_name = $1 AND projection_version = $2 AND resolved_at IS NULL`,
    [key.name, key.version, resolution, operator.by, operator.reason],
  );
}

function toRecord(row: VersionRow): VersionRecord {
  return {
    name: row.projection_name,
    version: row.projection_version,
    checkpoint: fromStored(row),
    status: row.status,
    serving: row.serving,
    schemaName: row.schema_name,
    createdAt: row.created_at,
    caughtUpAt: row.caught_up_at,
    retiredAt: row.retired_at,
    tablesDroppedAt: row.tables_dropped_at,
    eventsApplied: Number(row.events_applied),
    lastEventRecordedAt: row.last_event_recorded_at,
    lastCommittedAt: row.last_committed_at,
    eventsPerSecond: Number(row.events_per_second),
    updatedAt: row.updated_at,
    failure:
      row.failure_error === null
        ? null
        : {
            position: fromStored(row, 'failure_'),
            eventId: row.failure_event_id,
            streamName: row.failure_stream_name,
            eventType: row.failure_event_type,
            error: row.failure_error,
            attempts: row.failure_attempts ?? 0,
            failedAt: row.failure_failed_at as Date,
          },
  };
}
