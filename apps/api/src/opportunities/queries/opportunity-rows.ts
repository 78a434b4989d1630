import type { ContactRole, LossReason } from '@revops/domain';
import { moneyOf } from '../../accounts/graphql/money.types';
import type { ReadModelView } from '../../common/read-side/read-models';
import { utcText } from '@revops/projections';
import type { Opportunity, StageEntry, StageExit, StageStay } from '../graphql/opportunity-read.types';
import type { OpportunityStatus } from './opportunity-page-sql';

/** What every opportunity read selects, in the shape `opportunityOf` maps. */
export const OPPORTUNITY_COLUMNS = `opportunity_id, name, account_id, owner_id, pipeline_id, stage_id, amount_minor::text AS amount_minor,
  currency, expected_close_date::text AS expected_close_date, status, ${utcText('opened_at')} AS opened_at,
  ${utcText('closed_at')} AS closed_at, won_amount_minor::text AS won_amount_minor, won_currency, loss_reason, loss_note, contact_roles`;

export interface StoredOpportunity {
  opportunity_id: string;
  name: string;
  account_id: string;
  owner_id: string;
  pipeline_id: string;
  stage_id: string;
  amount_minor: string;
  currency: string;
  expected_close_date: string;
  status: OpportunityStatus;
  opened_at: string;
  closed_at: string | null;
  won_amount_minor: string | null;
  won_currency: string | null;
  loss_reason: LossReason | null;
  loss_note: string | null;
  contact_roles: ContactRole[] | string;
}

export function opportunityOf(row: StoredOpportunity): Opportunity {
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
    // Drivers differ on whether jsonb arrives parsed.
    contactRoles: typeof row.contact_roles === 'string' ? (JSON.parse(row.contact_roles) as ContactRole[]) : row.contact_roles,
  };
}

/** Opportunities by id, or the deals of some accounts (newest first), in one statement. */
export async function readOpportunities(
  view: ReadModelView,
  by: 'opportunity_id' | 'account_id',
  ids: readonly string[],
): Promise<Opportunity[]> {
  const rows = await view.query<StoredOpportunity>(
    `SELECT ${OPPORTUNITY_COLUMNS}
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
