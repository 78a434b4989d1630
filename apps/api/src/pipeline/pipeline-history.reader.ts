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
 * The deal's last stay that began at or before T (`$1`): open at T when it had not ended by
 * then, closed at T when it ended by then in a win or a loss. A stay ending in a stage change
 * by T is never the last, since the next one began when it ended.
 */
function lastStayAsOf(view: ReadModelView, filterFrom: number): string {
  return `SELECT DISTINCT ON (h.opportunity_id) h.opportunity_id, h.stage_id, h.exited_at, h.exit, o.pipeline_id, o.opened_at
            FROM ${view.table(OPPORTUNITIES_PROJECTION, 'opportunity_stage_history')} h
            JOIN ${view.table(OPPORTUNITIES_PROJECTION, 'opportunities')} o ON o.opportunity_id = h.opportunity_id
           WHERE h.entered_at <= $1
             AND ($${filterFrom}::text IS NULL OR o.pipeline_id = $${filterFrom})
             AND ($${filterFrom + 1}::text IS NULL OR o.owner_id = $${filterFrom + 1})
           ORDER BY h.opportunity_id, h.seq DESC`;
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
    `WITH s AS (${lastStayAsOf(view, 2)})
     SELECT s.pipeline_id, s.stage_id, a.currency, count(*)::int AS count, sum(a.amount_minor)::text AS amount_minor
       FROM s CROSS JOIN LATERAL (${amountAsOf(view, 'expected')}) a
      WHERE s.exited_at IS NULL OR s.exited_at > $1
      GROUP BY s.pipeline_id, s.stage_id, a.currency`,
    [at, filter.pipelineId ?? null, filter.ownerId ?? null],
  );
  return rows.map((row) => ({
    pipelineId: row.pipeline_id,
    stageId: row.stage_id,
    currency: row.currency.trim(),
    count: Number(row.count),
    amountMinor: BigInt(row.amount_minor),
  }));
}

/** Deals whose outcome at `end` is a win or a loss closed within [from, end], with the won amount of that close. */
export async function closedDealsAsOf(view: ReadModelView, from: string, end: string, filter: DealFilter): Promise<ClosedDeal[]> {
  const rows = await view.query<{
    exit: 'won' | 'lost';
    opened_at: Date | string;
    exited_at: Date | string;
    amount_minor: string | null;
    currency: string | null;
  }>(
    `WITH s AS (${lastStayAsOf(view, 3)})
     SELECT s.exit, s.opened_at, s.exited_at, w.amount_minor::text AS amount_minor, w.currency
       FROM s LEFT JOIN LATERAL (${amountAsOf(view, 'won')}) w ON s.exit = 'won'
      WHERE s.exit IN ('won', 'lost') AND s.exited_at <= $1 AND s.exited_at >= $2`,
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
    `SELECT o.opportunity_id, o.pipeline_id, array_agg(DISTINCT h.stage_id) AS stage_ids
       FROM ${view.table(OPPORTUNITIES_PROJECTION, 'opportunities')} o
       JOIN ${view.table(OPPORTUNITIES_PROJECTION, 'opportunity_stage_history')} h
         ON h.opportunity_id = o.opportunity_id AND h.entered_at <= $1
      WHERE o.opened_at >= $2 AND o.opened_at <= $1
        AND ($3::text IS NULL OR o.pipeline_id = $3) AND ($4::text IS NULL OR o.owner_id = $4)
      GROUP BY o.opportunity_id, o.pipeline_id`,
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
  // One after the other: embedded PostgreSQL serves a single session.
  const pipelines = await view.query<{ pipeline_id: string; name: string }>(
    `SELECT pipeline_id, name FROM ${view.table(PIPELINES_PROJECTION, 'pipelines')} WHERE $1::text IS NULL OR pipeline_id = $1`,
    [pipelineId],
  );
  const revisions = await view.query<{ pipeline_id: string; revision: number; effective_at: Date | string }>(
    `SELECT pipeline_id, revision, effective_at FROM ${view.table(PIPELINES_PROJECTION, 'pipeline_revisions')}
      WHERE $1::text IS NULL OR pipeline_id = $1`,
    [pipelineId],
  );
  const stages = await view.query<{
    pipeline_id: string;
    revision: number;
    stage_id: string;
    name: string;
    stage_order: number;
    win_probability: string;
  }>(
    `SELECT pipeline_id, revision, stage_id, name, stage_order, win_probability::text AS win_probability
       FROM ${view.table(PIPELINES_PROJECTION, 'pipeline_stages')} WHERE $1::text IS NULL OR pipeline_id = $1`,
    [pipelineId],
  );
  return pipelines.flatMap((pipeline) => {
    const effects = revisions
      .filter((row) => row.pipeline_id === pipeline.pipeline_id)
      .map((row) => ({ revision: Number(row.revision), effectiveAt: instant(row.effective_at) }));
    const revision = revisionInForce(effects, at);
    if (!revision) return [];
    const definitions: StageDefinition[] = stages
      .filter((row) => row.pipeline_id === pipeline.pipeline_id)
      .map((row) => ({
        revision: Number(row.revision),
        stageId: row.stage_id,
        name: row.name,
        order: Number(row.stage_order),
        winProbability: Number(row.win_probability),
      }));
    return [{ pipelineId: pipeline.pipeline_id, name: pipeline.name, revision, stages: stagesInForce(definitions, revision.revision) }];
  });
}
