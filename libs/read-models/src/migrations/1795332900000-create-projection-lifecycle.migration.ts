import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the projection runner keeps beside each version's checkpoint (libs/projections):
 *
 * - projection_versions: lifecycle (the Postgres schema holding the version's tables, when it
 *   first caught up, when it was retired and its tables dropped) and progress (events applied,
 *   recordedAt of the last one, throughput). Updated in the batch transaction, by the same
 *   statement that moves the checkpoint.
 * - projection_serving: the version readers query, per projection name (blue/green switch).
 * - projection_failures: every stall (the event, its position and the error) and how it was
 *   resolved (resumed, skipped, replaced by a newer version), by whom and why: the audit trail
 *   of the fix-and-resume path.
 *
 * projection_checkpoints stays the narrow row the runner compares-and-sets on every batch.
 */
export class CreateProjectionLifecycle1795332900000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE projection_versions (
        projection_name text NOT NULL,
        projection_version integer NOT NULL,
        schema_name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        caught_up_at timestamptz,
        retired_at timestamptz,
        tables_dropped_at timestamptz,
        events_applied bigint NOT NULL DEFAULT 0,
        last_event_recorded_at timestamptz,
        last_committed_at timestamptz,
        events_per_second double precision NOT NULL DEFAULT 0,
        CONSTRAINT projection_versions_pkey PRIMARY KEY (projection_name, projection_version),
        CONSTRAINT projection_versions_schema_name_key UNIQUE (schema_name),
        CONSTRAINT projection_versions_checkpoint_fkey FOREIGN KEY (projection_name, projection_version)
          REFERENCES projection_checkpoints (projection_name, projection_version) ON DELETE CASCADE
      )
    `);
    await queryRunner.query(`
      COMMENT ON TABLE projection_versions IS
        'Lifecycle and progress of each projection version; its tables live in the Postgres schema schema_name'
    `);
    await queryRunner.query(`
      CREATE TABLE projection_serving (
        projection_name text NOT NULL,
        serving_version integer NOT NULL,
        switched_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT projection_serving_pkey PRIMARY KEY (projection_name),
        CONSTRAINT projection_serving_version_fkey FOREIGN KEY (projection_name, serving_version)
          REFERENCES projection_checkpoints (projection_name, projection_version)
      )
    `);
    await queryRunner.query(`
      COMMENT ON TABLE projection_serving IS
        'The version of each projection that readers query; moves forward when a newer version has caught up'
    `);
    await queryRunner.query(`
      CREATE TABLE projection_failures (
        id bigint GENERATED ALWAYS AS IDENTITY,
        projection_name text NOT NULL,
        projection_version integer NOT NULL,
        commit_position numeric(20, 0),
        prepare_position numeric(20, 0),
        event_id text,
        stream_name text,
        event_type text,
        error text NOT NULL,
        attempts integer NOT NULL,
        failed_at timestamptz NOT NULL DEFAULT now(),
        resolution text,
        resolved_at timestamptz,
        resolved_by text,
        resolution_reason text,
        CONSTRAINT projection_failures_pkey PRIMARY KEY (id),
        CONSTRAINT projection_failures_checkpoint_fkey FOREIGN KEY (projection_name, projection_version)
          REFERENCES projection_checkpoints (projection_name, projection_version) ON DELETE CASCADE,
        CONSTRAINT projection_failures_position_complete
          CHECK ((commit_position IS NULL) = (prepare_position IS NULL)),
        CONSTRAINT projection_failures_resolution_known
          CHECK (resolution IN ('resumed', 'skipped', 'replaced')),
        CONSTRAINT projection_failures_resolution_complete
          CHECK ((resolution IS NULL) = (resolved_at IS NULL))
      )
    `);
    // A version stalls on one event at a time: at most one unresolved failure each.
    await queryRunner.query(`
      CREATE UNIQUE INDEX projection_failures_open_key
        ON projection_failures (projection_name, projection_version) WHERE resolved_at IS NULL
    `);
    await queryRunner.query(`
      COMMENT ON TABLE projection_failures IS
        'Events a projection version could not apply (position null: the event could not be read), and how each stall ended'
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE projection_failures');
    await queryRunner.query('DROP TABLE projection_serving');
    await queryRunner.query('DROP TABLE projection_versions');
  }
}
