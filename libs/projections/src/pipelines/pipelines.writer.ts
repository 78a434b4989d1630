import { IDENTIFIER, type Projection, type ProjectionSchema, type ProjectionTransaction } from '../runner/projection';
import { pipelineChanges, type PipelineChanges } from './pipelines.projection';

export const PIPELINES_PROJECTION = 'pipelines';

/**
 * `pipelines` (one row per pipeline), `pipeline_stages` (the stages of every revision) and
 * `pipeline_revisions` (when each revision took effect, in business time).
 */
export const pipelinesProjection: Projection = {
  name: PIPELINES_PROJECTION,
  // v2 adds pipeline_revisions, which as-of reports need; v3 compares identifiers by their bytes (IDENTIFIER).
  version: 3,
  consumes: { streamNamePrefixes: ['pipeline-'] },
  createTables: (schema: ProjectionSchema) => [
    `CREATE TABLE ${schema.table('pipelines')} (
       pipeline_id ${IDENTIFIER} PRIMARY KEY,
       -- Nullable: a batch holding only a revision upserts without them, and NOT NULL is
       -- checked before ON CONFLICT would keep the stored values.
       name text,
       revision integer NOT NULL,
       defined_at timestamptz,
       revised_at timestamptz
     )`,
    `CREATE TABLE ${schema.table('pipeline_stages')} (
       pipeline_id ${IDENTIFIER} NOT NULL,
       revision integer NOT NULL,
       stage_id ${IDENTIFIER} NOT NULL,
       name text NOT NULL,
       stage_order integer NOT NULL,
       win_probability numeric(5,2) NOT NULL,
       PRIMARY KEY (pipeline_id, revision, stage_id)
     )`,
    `CREATE TABLE ${schema.table('pipeline_revisions')} (
       pipeline_id ${IDENTIFIER} NOT NULL,
       revision integer NOT NULL,
       effective_at timestamptz NOT NULL,
       PRIMARY KEY (pipeline_id, revision)
     )`,
  ],
  apply: (batch, tx) => writePipelines(pipelineChanges(batch), tx),
};

export async function writePipelines(changes: PipelineChanges, tx: ProjectionTransaction): Promise<void> {
  if (changes.pipelines.length > 0) {
    // A revision-only batch has no name: the stored one stays. Revisions only grow, so a
    // replayed batch cannot move a pipeline back.
    await tx.query(
      `INSERT INTO ${tx.schema.table('pipelines')} AS p (pipeline_id, name, revision, defined_at, revised_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::timestamptz[], $5::timestamptz[])
       ON CONFLICT (pipeline_id) DO UPDATE
          SET name = COALESCE(excluded.name, p.name),
              revision = GREATEST(p.revision, excluded.revision),
              defined_at = COALESCE(excluded.defined_at, p.defined_at),
              revised_at = COALESCE(excluded.revised_at, p.revised_at)`,
      [
        changes.pipelines.map((row) => row.pipelineId),
        changes.pipelines.map((row) => row.name),
        changes.pipelines.map((row) => row.revision),
        changes.pipelines.map((row) => row.definedAt),
        changes.pipelines.map((row) => row.revisedAt),
      ],
    );
  }
  if (changes.stages.length > 0) {
    await tx.query(
      `INSERT INTO ${tx.schema.table('pipeline_stages')} AS s (pipeline_id, revision, stage_id, name, stage_order, win_probability)
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::int[], $6::numeric[])
       ON CONFLICT (pipeline_id, revision, stage_id) DO UPDATE
          SET name = excluded.name, stage_order = excluded.stage_order, win_probability = excluded.win_probability`,
      [
        changes.stages.map((row) => row.pipelineId),
        changes.stages.map((row) => row.revision),
        changes.stages.map((row) => row.stageId),
        changes.stages.map((row) => row.name),
        changes.stages.map((row) => row.order),
        changes.stages.map((row) => row.winProbability),
      ],
    );
  }
  if (changes.revisions.length > 0) {
    await tx.query(
      `INSERT INTO ${tx.schema.table('pipeline_revisions')} (pipeline_id, revision, effective_at)
       SELECT * FROM unnest($1::text[], $2::int[], $3::timestamptz[])
       ON CONFLICT (pipeline_id, revision) DO UPDATE SET effective_at = excluded.effective_at`,
      [
        changes.revisions.map((row) => row.pipelineId),
        changes.revisions.map((row) => row.revision),
        changes.revisions.map((row) => row.effectiveAt),
      ],
    );
  }
}
