import { moneyOf } from '../../accounts/graphql/money.types';
import type { ReadModelView } from '../../common/read-side/read-models';
import { OPPORTUNITY_STATE_COLUMNS, parsedJson, utcText, type StoredOpportunityState } from '@revops/projections';
import type { Opportunity, StageEntry, StageExit, StageStay } from '../graphql/opportunity-read.types';

/** The GraphQL opportunity of a stored deal's state. */
export function opportunityOf(row: StoredOpportunityState): Opportunity {
  return {
    id: row.opportunity_id,
    name: row.name,
    ownerId: row.owner_id,
    pipelineId: row.pipeline_id,
    stageId: row.stage_id,
    status: row.status,
    amount: { amountMinor: Number(row.amount_minor), currency: row.currency },
    expectedCloseDate: row.expected_close_date,
    openedAt: row.opened_at,
    closedAt: row.closed_at,
    wonAmount: moneyOf(row.won_amount_minor, row.won_currency),
    lossReason: row.loss_reason,
    lossNote: row.loss_note,
    accountId: row.account_id,
    contactRoles: parsedJson(row.contact_roles),
  };
}

/** Opportunities by id, or the deals of some accounts (newest first), in one statement. */
export async function readOpportunities(
  view: ReadModelView,
  by: 'opportunity_id' | 'account_id',
  ids: readonly string[],
): Promise<Opportunity[]> {
  const rows = await view.query<StoredOpportunityState>(
    `SELECT ${OPPORTUNITY_STATE_COLUMNS}
       FROM ${view.table('opportunities', 'opportunities')} o
      WHERE o.${by} = ANY($1::text[])
      ORDER BY o.opened_at DESC, o.opportunity_id DESC`,
    [ids],
  );
  return rows.map(opportunityOf);
}

/** The stage stays of these deals, in the order they happened. */
export async function readStageHistory(view: ReadModelView, opportunityIds: readonly string[]): Promise<(StageStay & { opportunityId: string })[]> {
  const rows = await view.query<{
    opportunity_id: string;
    pipeline_id: string;
    stage_id: string;
    entry: StageEntry;
    entered_at: string;
    exited_at: string | null;
    exit: StageExit | null;
    duration_seconds: string | null;
  }>(
    `SELECT opportunity_id, pipeline_id, stage_id, entry, ${utcText('entered_at')} AS entered_at, ${utcText('exited_at')} AS exited_at,
            exit, duration_seconds::text AS duration_seconds
       FROM ${view.table('opportunities', 'opportunity_stage_history')} h
      WHERE h.opportunity_id = ANY($1::text[])
      ORDER BY h.opportunity_id, h.seq`,
    [opportunityIds],
  );
  return rows.map((row) => ({
    opportunityId: row.opportunity_id,
    pipelineId: row.pipeline_id,
    stageId: row.stage_id,
    entry: row.entry,
    enteredAt: row.entered_at,
    exitedAt: row.exited_at,
    exit: row.exit,
    durationSeconds: row.duration_seconds === null ? null : Number(row.duration_seconds),
  }));
}
