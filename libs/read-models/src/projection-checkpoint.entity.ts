import { Check, Column, Entity, PrimaryColumn, UpdateDateColumn, type ValueTransformer } from 'typeorm';

export type ProjectionStatus = 'building' | 'live' | 'failed' | 'retired';

/** numeric(20,0) arrives from pg as a string; positions are bigint like in the event-store client. */
const position: ValueTransformer = {
  to: (value: bigint | null | undefined) => (value === null || value === undefined ? value : value.toString()),
  from: (value: string | null) => (value === null ? null : BigInt(value)),
};

const positionColumn = (name: string) =>
  Column({ name, type: 'numeric', precision: 20, scale: 0, nullable: true, transformer: position });

/** A row of projection_checkpoints; the schema is the migration's, this only maps it. */
@Entity({
  name: 'projection_checkpoints',
  comment: 'Last $all position applied by each projection version; written in the same transaction as its read-model rows',
})
@Check('projection_checkpoints_version_positive', 'projection_version > 0')
@Check('projection_checkpoints_status_known', `status IN ('building', 'live', 'failed', 'retired')`)
@Check(
  'projection_checkpoints_position_complete',
  '(commit_position IS NULL) = (prepare_position IS NULL) AND commit_position >= 0 AND prepare_position >= 0',
)
@Check(
  'projection_checkpoints_error_position_complete',
  '(error_commit_position IS NULL) = (error_prepare_position IS NULL) AND error_commit_position >= 0 AND error_prepare_position >= 0',
)
export class ProjectionCheckpoint {
  @PrimaryColumn({ name: 'projection_name', type: 'text', primaryKeyConstraintName: 'projection_checkpoints_pkey' })
  projectionName!: string;

  @PrimaryColumn({ name: 'projection_version', type: 'integer', primaryKeyConstraintName: 'projection_checkpoints_pkey' })
  projectionVersion!: number;

  @positionColumn('commit_position')
  commitPosition!: bigint | null;

  @positionColumn('prepare_position')
  preparePosition!: bigint | null;

  @Column({
    type: 'text',
    default: 'building',
    comment:
      'building: catching up from the start; live: serving reads; failed: stopped at error_*_position with last_error; retired: replaced by a newer version',
  })
  status!: ProjectionStatus;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @positionColumn('error_commit_position')
  errorCommitPosition!: bigint | null;

  @positionColumn('error_prepare_position')
  errorPreparePosition!: bigint | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
