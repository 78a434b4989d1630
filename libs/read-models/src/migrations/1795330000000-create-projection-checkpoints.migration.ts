import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where each projection (name + version, DESIGN §6) has got to in $all. A projection
 * writes its batch of read-model rows and this row in one transaction.
 *
 * EventStoreDB positions are unsigned 64-bit integers, past what bigint holds, hence
 * numeric(20,0). A null position means nothing has been applied yet: the runner starts
 * from the beginning of $all rather than after a position 0 that may hold an event.
 */
export class CreateProjectionCheckpoints1795330000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE projection_checkpoints (
        projection_name text NOT NULL,
        projection_version integer NOT NULL,
        commit_position numeric(20, 0),
        prepare_position numeric(20, 0),
        status text NOT NULL DEFAULT 'building',
        last_error text,
        error_commit_position numeric(20, 0),
        error_prepare_position numeric(20, 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT projection_checkpoints_pkey PRIMARY KEY (projection_name, projection_version),
        CONSTRAINT projection_checkpoints_version_positive CHECK (projection_version > 0),
        CONSTRAINT projection_checkpoints_status_known
          CHECK (status IN ('building', 'live', 'failed', 'retired')),
        CONSTRAINT projection_checkpoints_position_complete
          CHECK ((commit_position IS NULL) = (prepare_position IS NULL)
            AND commit_position >= 0 AND prepare_position >= 0),
        CONSTRAINT projection_checkpoints_error_position_complete
          CHECK ((error_commit_position IS NULL) = (error_prepare_position IS NULL)
            AND error_commit_position >= 0 AND error_prepare_position >= 0)
      )
    `);
    await queryRunner.query(`
      COMMENT ON TABLE projection_checkpoints IS
        'Last $all position applied by each projection version; written in the same transaction as its read-model rows'
    `);
    await queryRunner.query(`
      COMMENT ON COLUMN projection_checkpoints.status IS
        'building: catching up from the start; live: serving reads; failed: stopped at error_*_position with last_error; retired: replaced by a newer version'
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE projection_checkpoints');
  }
}
