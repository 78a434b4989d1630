import type { ContactRole } from '@revops/domain';
import type { Projection, ProjectionSchema, ProjectionTransaction } from '../runner/projection';
import { utcText } from '../runner/utc-text';
import {
  opportunityChanges,
  type OpportunityChanges,
  type OpportunityRow,
  type OpportunityStatus,
  type Transition,
} from './opportunities.projection';

export const OPPORTUNITIES_PROJECTION = 'opportunities';


/**
 * `opportunities` (current state), `opportunity_stage_history` (one row per stay in a
 * stage, in business time, reopenings included) and `opportunity_amount_history` (every
 * expected and won amount with the business time it took effect).
 */
export const opportunitiesProjection: Projection = {
  name: OPPORTUNITIES_PROJECTION,
  // v2 adds opportunity_amount_history, which as-of reports need; v3 indexes the as-of reads.
  version: 3,
  consumes: { streamNamePrefixes: ['opportunity-'] },
  createTables: (schema: ProjectionSchema) => [
    `CREATE TABLE ${schema.table('opportunities')} (
       opportunity_id text PRIMARY KEY,
       name text NOT NULL,
       account_id text NOT NULL,
       owner_id text NOT NULL,
       pipeline_id text NOT NULL,
       pipeline_revision integer NOT NULL,
       stage_id text NOT NULL,
       amount_minor bigint NOT NULL,
       currency char(3) NOT NULL,
       expected_close_date date NOT NULL,
       status text NOT NULL CHECK (status IN ('open', 'won', 'lost')),
       opened_at timestamptz NOT NULL,
       closed_at timestamptz,
       won_amount_minor bigint,
       won_currency char(3),
       loss_reason text,
       loss_note text,
       contact_roles jsonb NOT NULL,
       stream_revision bigint NOT NULL,
       -- Every stage entry and close in business time: what the history is recomputed from
       -- when a backdated event lands between two stored ones.
       transitions jsonb NOT NULL
     )`,
    `CREATE INDEX ON ${schema.table('opportunities')} (pipeline_id, status, stage_id)`,
    `CREATE INDEX ON ${schema.table('opportunities')} (owner_id)`,
    `CREATE INDEX ON ${schema.table('opportunities')} (pipeline_id, opened_at) INCLUDE (owner_id)`,
    `CREATE TABLE ${schema.table('opportunity_stage_history')} (
       opportunity_id text NOT NULL,
       seq integer NOT NULL,
       pipeline_id text NOT NULL,
       stage_id text NOT NULL,
       entry text NOT NULL CHECK (entry IN ('opened', 'stage_change', 'reopened')),
       entered_at timestamptz NOT NULL,
       exited_at timestamptz,
       exit text CHECK (exit IN ('stage_change', 'won', 'lost')),
       duration_seconds numeric(14,3),
       PRIMARY KEY (opportunity_id, seq)
     )`,
    // As-of reads: stays spanning an instant (open ones apart, few and always wanted) and closes in a period.
    `CREATE INDEX ON ${schema.table('opportunity_stage_history')} (pipeline_id, entered_at)
       INCLUDE (opportunity_id, stage_id) WHERE exited_at IS NULL`,
    `CREATE INDEX ON ${schema.table('opportunity_stage_history')} (pipeline_id, exited_at)
       INCLUDE (entered_at, opportunity_id, stage_id)`,
    `CREATE INDEX ON ${schema.table('opportunity_stage_history')} (pipeline_id, exited_at)
       INCLUDE (opportunity_id, seq, exit) WHERE exit IN ('won', 'lost')`,
    `CREATE TABLE ${schema.table('opportunity_amount_history')} (
       opportunity_id text NOT NULL,
       position numeric(20,0) NOT NULL,
       kind text NOT NULL CHECK (kind IN ('expected', 'won')),
       effective_at timestamptz NOT NULL,
       amount_minor bigint NOT NULL,
       currency char(3) NOT NULL,
       PRIMARY KEY (opportunity_id, position)
     )`,
    // The figure in force at an instant is the first entry of this order, read from the index alone.
    `CREATE INDEX ON ${schema.table('opportunity_amount_history')} (opportunity_id, kind, effective_at DESC, position DESC)
       INCLUDE (amount_minor, currency)`,
  ],
  apply: async (batch, tx) => {
    const ids = [...new Set(batch.map((event) => (event.data as { opportunityId: string }).opportunityId))];
    await writeOpportunities(opportunityChanges(await readOpportunities(ids, tx), batch), tx);
  },
};

interface StoredOpportunity {
  opportunity_id: string;
  name: string;
  account_id: string;
  owner_id: string;
  pipeline_id: string;
  pipeline_revision: number;
  stage_id: string;
  amount_minor: string;
  currency: string;
  expected_close_date: string;
  status: OpportunityStatus;
  opened_at: string;
  closed_at: string | null;
  won_amount_minor: string | null;
  won_currency: string | null;
  loss_reason: string | null;
  loss_note: string | null;
  contact_roles: ContactRole[];
  stream_revision: string;
  transitions: Transition[];
}

/** The stored rows of the batch's opportunities, in one statement. */
export async function readOpportunities(ids: readonly string[], tx: ProjectionTransaction): Promise<Map<string, OpportunityRow>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.query<StoredOpportunity>(
    `SELECT opportunity_id, name, account_id, owner_id, pipeline_id, pipeline_revision, stage_id,
            amount_minor::text AS amount_minor, currency, expected_close_date::text AS expected_close_date, status,
            ${utcText('opened_at')} AS opened_at, ${utcText('closed_at')} AS closed_at,
            won_amount_minor::text AS won_amount_minor, won_currency, loss_reason, loss_note,
            contact_roles, stream_revision::text AS stream_revision, transitions
       FROM ${tx.schema.table('opportunities')}
      WHERE opportunity_id = ANY($1::text[])`,
    [ids],
  );
  return new Map(
    rows.map((row) => [
      row.opportunity_id,
      {
        opportunityId: row.opportunity_id,
        name: row.name,
        accountId: row.account_id,
        ownerId: row.owner_id,
        pipelineId: row.pipeline_id,
        pipelineRevision: Number(row.pipeline_revision),
        stageId: row.stage_id,
        amountMinor: Number(row.amount_minor),
        currency: row.currency,
        expectedCloseDate: row.expected_close_date,
        status: row.status,
        openedAt: row.opened_at,
        closedAt: row.closed_at,
        wonAmountMinor: row.won_amount_minor === null ? null : Number(row.won_amount_minor),
        wonCurrency: row.won_currency,
        lossReason: row.loss_reason,
        lossNote: row.loss_note,
        contactRoles: parsedJson(row.contact_roles),
        streamRevision: BigInt(row.stream_revision),
        transitions: parsedJson(row.transitions),
      },
    ]),
  );
}

// Drivers differ on whether jsonb arrives parsed; both forms are accepted.
function parsedJson<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

/**
 * One upsert for the opportunities, one delete and one insert for their stage history, one
 * insert for the new amount figures.
 */
export async function writeOpportunities(changes: OpportunityChanges, tx: ProjectionTransaction): Promise<void> {
  const rows = changes.opportunities;
  if (rows.length === 0) return;
  await writeAmountHistory(changes.amountHistory, tx);
  await tx.query(
    `INSERT INTO ${tx.schema.table('opportunities')} AS o
       (opportunity_id, name, account_id, owner_id, pipeline_id, pipeline_revision, stage_id, amount_minor, currency,
        expected_close_date, status, opened_at, closed_at, won_amount_minor, won_currency, loss_reason, loss_note,
        contact_roles, stream_revision, transitions)
     SELECT id, name, account, owner, pipeline, revision, stage, amount, currency, close_date, status, opened, closed,
            won_amount, won_currency, loss_reason, loss_note, roles::jsonb, stream_revision, transitions::jsonb
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::bigint[],
                   $9::text[], $10::date[], $11::text[], $12::timestamptz[], $13::timestamptz[], $14::bigint[],
                   $15::text[], $16::text[], $17::text[], $18::text[], $19::bigint[], $20::text[])
         AS t(id, name, account, owner, pipeline, revision, stage, amount, currency, close_date, status, opened, closed,
              won_amount, won_currency, loss_reason, loss_note, roles, stream_revision, transitions)
     ON CONFLICT (opportunity_id) DO UPDATE
        SET name = excluded.name, account_id = excluded.account_id, owner_id = excluded.owner_id,
            pipeline_id = excluded.pipeline_id, pipeline_revision = excluded.pipeline_revision,
            stage_id = excluded.stage_id, amount_minor = excluded.amount_minor, currency = excluded.currency,
            expected_close_date = excluded.expected_close_date, status = excluded.status,
            opened_at = excluded.opened_at, closed_at = excluded.closed_at,
            won_amount_minor = excluded.won_amount_minor, won_currency = excluded.won_currency,
            loss_reason = excluded.loss_reason, loss_note = excluded.loss_note,
            contact_roles = excluded.contact_roles, stream_revision = excluded.stream_revision,
            transitions = excluded.transitions`,
    [
      rows.map((row) => row.opportunityId),
      rows.map((row) => row.name),
      rows.map((row) => row.accountId),
      rows.map((row) => row.ownerId),
      rows.map((row) => row.pipelineId),
      rows.map((row) => row.pipelineRevision),
      rows.map((row) => row.stageId),
      rows.map((row) => String(row.amountMinor)),
      rows.map((row) => row.currency),
      rows.map((row) => row.expectedCloseDate),
      rows.map((row) => row.status),
      rows.map((row) => row.openedAt),
      rows.map((row) => row.closedAt),
      rows.map((row) => (row.wonAmountMinor === null ? null : String(row.wonAmountMinor))),
      rows.map((row) => row.wonCurrency),
      rows.map((row) => row.lossReason),
      rows.map((row) => row.lossNote),
      rows.map((row) => JSON.stringify(row.contactRoles)),
      rows.map((row) => row.streamRevision.toString()),
      rows.map((row) => JSON.stringify(row.transitions)),
    ],
  );

  const history = changes.stageHistory;
  await tx.query(`DELETE FROM ${tx.schema.table('opportunity_stage_history')} WHERE opportunity_id = ANY($1::text[])`, [
    rows.map((row) => row.opportunityId),
  ]);
  if (history.length === 0) return;
  await tx.query(
    `INSERT INTO ${tx.schema.table('opportunity_stage_history')}
       (opportunity_id, seq, pipeline_id, stage_id, entry, entered_at, exited_at, exit, duration_seconds)
     SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::timestamptz[],
                          $7::timestamptz[], $8::text[], $9::numeric[])`,
    [
      history.map((row) => row.opportunityId),
      history.map((row) => row.seq),
      history.map((row) => row.pipelineId),
      history.map((row) => row.stageId),
      history.map((row) => row.entry),
      history.map((row) => row.enteredAt),
      history.map((row) => row.exitedAt),
      history.map((row) => row.exit),
      history.map((row) => row.durationSeconds),
    ],
  );
}

async function writeAmountHistory(figures: OpportunityChanges['amountHistory'], tx: ProjectionTransaction): Promise<void> {
  if (figures.length === 0) return;
  // One row per event, keyed by its position: a figure never changes once recorded.
  await tx.query(
    `INSERT INTO ${tx.schema.table('opportunity_amount_history')}
       (opportunity_id, position, kind, effective_at, amount_minor, currency)
     SELECT * FROM unnest($1::text[], $2::numeric[], $3::text[], $4::timestamptz[], $5::bigint[], $6::text[])
     ON CONFLICT (opportunity_id, position) DO NOTHING`,
    [
      figures.map((row) => row.opportunityId),
      figures.map((row) => row.position),
      figures.map((row) => row.kind),
      figures.map((row) => row.effectiveAt),
      figures.map((row) => String(row.amountMinor)),
      figures.map((row) => row.currency),
    ],
  );
}
