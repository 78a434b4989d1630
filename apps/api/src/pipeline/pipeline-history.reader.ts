import { OPPORTUNITIES_PROJECTION, PIPELINES_PROJECTION } from '@revops/projections';
import type { ReadModelView } from '../common/read-side/read-models';
import type { OpenDealGroup } from './pipeline-figures';
import type { ClosedDeal } from './sales-metrics';
import { revisionInForce, stagesInForce, type RevisionEffect, type StageDefinition, type StagesInForce } from './stages-in-force';

/**
 * SQL over the pipelines and opportunities read models, answering "as of T" from history:
 * stage stays and amount figures in business time, never today's `opportunities` row.
 * Only the deal's identity (owner, pipeline, opening time), which no later event changes,
 * comes from there.
 */

export const HISTORY_PROJECTIONS = [PIPELINES_PROJECTION, OPPORTUNITIES_PROJECTION] as const;

export interface DealFilter {
  readonly pipelineId?: string | null;
  readonly ownerId?: string | null;
}

export interface PipelineAsOf {
  readonly pipelineId: string;
  readonly name: string;
  readonly revision: RevisionEffect;
  readonly stages: StagesInForce;
}

const instant = (value: Date | string) => new Date(value).toISOString();

/**
 * The stays that began at or before T (`$1`) and had not ended by then, one per deal open at T:
 * a deal's stays follow one another without overlap, each ending when the next transition in
 * business time happens, so at most one of them spans T, and it is the last to have begun.
 * Open and ended stays are read apart so each side is a range over its own index.
 */
function staysOpenAt(view: ReadModelView, pipelineParameter: string): string {
  const history = view.table(OPPORTUNITIES_PROJECTION, 'opportunity_stage_history');
  const inPipeline = `(${pipelineParameter}::text IS NULL OR h.pipeline_id = ${pipelineParameter})`;
  return `SELECT h.opportunity_id, h.pipeline_id, h.stage_id FROM ${history} h
           WHERE h.exited_at IS NULL AND h.entered_at <= $1 AND ${inPipeline}
          UNION ALL
          SELECT h.opportunity_id, h.pipeline_id, h.stage_id FROM ${history} h
           WHERE h.exited_at > $1 AND h.entered_at <= $1 AND ${inPipeline}`;
}

/** Only a filter by owner needs the deal's row: the stay carries its pipeline. */
function ownedBy(view: ReadModelView, ownerParameter: string, ownerId: string | null | undefined): string {
  if (!ownerId) return '';
  return `JOIN ${view.table(OPPORTUNITIES_PROJECTION, 'opportunities')} o
            ON o.opportunity_id = s.opportunity_id AND o.owner_id = ${ownerParameter}`;
}

/** The figure of `kind` in force at T (`$1`) for the deal `s.opportunity_id`: the last to take effect, ties by arrival. */
function amountAsOf(view: ReadModelView, kind: 'expected' | 'won'): string {
  return `SELECT a.amount_minor, a.currency
            FROM ${view.table(OPPORTUNITIES_PROJECTION, 'opportunity_amount_history')} a
           WHERE a.opportunity_id = s.opportunity_id AND a.kind = '${kind}' AND a.effective_at <= $1
           ORDER BY a.effective_at DESC, a.position DESC
           LIMIT 1`;
}

/** Deals open at T, counted and summed per pipeline, stage and currency with the amounts in force then. */
export async function openDealsAsOf(
  view: ReadModelView,
  at: string,
  filter: DealFilter,
): Promise<Array<OpenDealGroup & { pipelineId: string }>> {
  const rows = await view.query<{ pipeline_id: string; stage_id: string; currency: string; count: number; amount_minor: string }>(
    `SELECT s.pipeline_id, s.stage_id, a.currency, count(*)::int AS count, sum(a.amount_minor)::text AS amount_minor
       FROM (${staysOpenAt(view, '$2')}) s
       ${ownedBy(view, '$3', filter.ownerId)}
      CROSS JOIN LATERAL (${amountAsOf(view, 'expected')}) a
      GROUP BY s.pipeline_id, s.stage_id, a.currency`,
    [at, filter.pipelineId ?? null, ...(filter.ownerId ? [filter.ownerId] : [])],
  );
  return rows.map((row) => ({
    pipelineId: row.pipeline_id,
    stageId: row.stage_id,
    currency: row.currency.trim(),
    count: Number(row.count),
    amountMinor: BigInt(row.amount_minor),
  }));
}

/**
 * Deals whose outcome at `end` is a win or a loss closed within [from, end], with the won amount
 * of that close: a stay ending in the close within the period, unless the deal was reopened
 * by `end` (a later stay began).
 */
export async function closedDealsAsOf(view: ReadModelView, from: string, end: string, filter: DealFilter): Promise<ClosedDeal[]> {
  const history = view.table(OPPORTUNITIES_PROJECTION, 'opportunity_stage_history');
  const rows = await view.query<{
    exit: 'won' | 'lost';
    opened_at: Date | string;
    exited_at: Date | string;
    amount_minor: string | null;
    currency: string | null;
  }>(
    `SELECT s.exit, o.opened_at, s.exited_at, w.amount_minor::text AS amount_minor, w.currency
       FROM ${history} s
       JOIN ${view.table(OPPORTUNITIES_PROJECTION, 'opportunities')} o ON o.opportunity_id = s.opportunity_id
       LEFT JOIN LATERAL (${amountAsOf(view, 'won')}) w ON s.exit = 'won'
      WHERE s.exit IN ('won', 'lost') AND s.exited_at <= $1 AND s.exited_at >= $2
        AND ($3::text IS NULL OR s.pipeline_id = $3) AND ($4::text IS NULL OR o.owner_id = $4)
        AND NOT EXISTS (SELECT 1 FROM ${history} later
                         WHERE later.opportunity_id = s.opportunity_id AND later.seq > s.seq AND later.entered_at <= $1)`,
    [end, from, filter.pipelineId ?? null, filter.ownerId ?? null],
  );
  return rows.map((row) => ({
    outcome: row.exit,
    openedAt: instant(row.opened_at),
    closedAt: instant(row.exited_at),
    wonAmountMinor: row.amount_minor === null ? null : BigInt(row.amount_minor),
    wonCurrency: row.currency?.trim() ?? null,
  }));
}

/** Per deal opened within [from, end]: its pipeline and every stage it had entered by `end`. */
export async function stagesReachedByCohort(
  view: ReadModelView,
  from: string,
  end: string,
  filter: DealFilter,
): Promise<Array<{ pipelineId: string; reached: Set<string> }>> {
  const rows = await view.query<{ opportunity_id: string; pipeline_id: string; stage_ids: string[] | string }>(
    // Per deal rather than one join: a hash join would read every stay up to `end` of every deal.
    `SELECT o.opportunity_id, o.pipeline_id, r.stage_ids
       FROM ${view.table(OPPORTUNITIES_PROJECTION, 'opportunities')} o
      CROSS JOIN LATERAL (SELECT array_agg(DISTINCT h.stage_id) AS stage_ids
                            FROM ${view.table(OPPORTUNITIES_PROJECTION, 'opportunity_stage_history')} h
                           WHERE h.opportunity_id = o.opportunity_id AND h.entered_at <= $1) r
      WHERE o.opened_at >= $2 AND o.opened_at <= $1 AND r.stage_ids IS NOT NULL
        AND ($3::text IS NULL OR o.pipeline_id = $3) AND ($4::text IS NULL OR o.owner_id = $4)`,
    [end, from, filter.pipelineId ?? null, filter.ownerId ?? null],
  );
  return rows.map((row) => ({ pipelineId: row.pipeline_id, reached: new Set(textArray(row.stage_ids)) }));
}

// node-postgres parses text[]; a driver that does not hands over the literal `{a,b}`.
function textArray(value: string[] | string): string[] {
  return Array.isArray(value) ? value : value.replace(/^\{|\}$/g, '').split(',').filter(Boolean);
}

/**
 * The pipelines (one, or every one when `pipelineId` is null) with the revision in force at
 * T and the stages that apply then; a pipeline not yet defined at T is left out.
 */
export async function pipelinesAsOf(view: ReadModelView, at: string, pipelineId: string | null): Promise<PipelineAsOf[]> {
  // One round trip: the definitions are a few rows a pipeline, aggregated beside it.
  const rows = await view.query<{ pipeline_id: string; name: string; revisions: string; stages: string }>(
    `SELECT p.pipeline_id, p.name,
            (SELECT COALESCE(json_agg(json_build_object('revision', r.revision, 'effectiveAt', r.effective_at)), '[]')
               FROM ${view.table(PIPELINES_PROJECTION, 'pipeline_revisions')} r
              WHERE r.pipeline_id = p.pipeline_id)::text AS revisions,
            (SELECT COALESCE(json_agg(json_build_object('revision', s.revision, 'stageId', s.stage_id, 'name', s.name,
                                                        'order', s.stage_order, 'winProbability', s.win_probability::text)), '[]')
               FROM ${view.table(PIPELINES_PROJECTION, 'pipeline_stages')} s
              WHERE s.pipeline_id = p.pipeline_id)::text AS stages
       FROM ${view.table(PIPELINES_PROJECTION, 'pipelines')} p
      WHERE $1::text IS NULL OR p.pipeline_id = $1`,
    [pipelineId],
  );
  return rows.flatMap((row) => {
    const effects = (JSON.parse(row.revisions) as Array<{ revision: number; effectiveAt: string }>).map((effect) => ({
      revision: Number(effect.revision),
      effectiveAt: instant(effect.effectiveAt),
    }));
    const revision = revisionInForce(effects, at);
    if (!revision) return [];
    const definitions: StageDefinition[] = (
      JSON.parse(row.stages) as Array<{ revision: number; stageId: string; name: string; order: number; winProbability: string }>
    ).map((stage) => ({ ...stage, revision: Number(stage.revision), order: Number(stage.order), winProbability: Number(stage.winProbability) }));
    return [{ pipelineId: row.pipeline_id, name: row.name, revision, stages: stagesInForce(definitions, revision.revision) }];
  });
}
