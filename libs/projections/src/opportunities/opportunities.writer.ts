import type { ContactRole, LossReason } from '@revops/domain';
import { forEachConcurrently } from '@revops/platform';
import { columnNames, columnValues, insertFromArrays, replacedByExcluded, type InsertColumn } from '../runner/insert-rows';
import { IDENTIFIER, indexAfterCatchUp, type Projection, type ProjectionSchema, type ProjectionTransaction } from '../runner/projection';
import { utcText } from '../runner/utc-text';
import {
  opportunityChanges,
  OpenDealTotalsSum,
  type AmountFigure,
  type OpenDealTotalRow,
  type OpportunityChanges,
  type OpportunityRow,
  type OpportunityStatus,
  type StageHistoryRow,
  type Transition,
} from './opportunities.projection';

export const OPPORTUNITIES_PROJECTION = 'opportunities';

/** The columns of `opportunities` that hold a deal's lists. */
export const OPPORTUNITY_LISTS = ['contact_roles', 'transitions', 'amounts'] as const;

/**
 * How full PostgreSQL fills the pages of `opportunities` and `opportunity_stage_history`, in
 * per cent. A deal's row is rewritten at every event about it, and a stay when it ends; with
 * room on its page, the new version goes beside the old one and the key's index is left as it
 * is (a heap-only update). Over a history recorded live (1,000,000 events, 106,000 deals, each
 * deal's events far apart) 83 % and 96 % of those updates were heap-only against 63 % and 55 %
 * on full pages, with 15 % less WAL, a smaller opportunities table and the rebuild 11 % quicker;
 * an imported history, whose rows a rebuild writes once, took as long as on full pages.
 */
export const UPDATED_TABLES_FILLFACTOR = 70;


/**
 * `opportunities` (current state), `opportunity_stage_history` (one row per stay in a
 * stage, in business time, reopenings included), `opportunity_amount_history` (every
 * expected and won amount with the business time it took effect), and what as-of reports sum
 * instead of reading every deal: `open_deal_deltas` (each deal's changes to the open
 * pipeline, at their business times), `open_deal_totals` (those changes of every owner added
 * up per UTC month and day), `open_deal_owner_totals` (each owner's added up per UTC month)
 * and `deal_closes` (every win and loss).
 */
export const opportunitiesProjection: Projection = {
  name: OPPORTUNITIES_PROJECTION,
  // v2 adds opportunity_amount_history, which as-of reports need; v3 indexes the as-of reads;
  // v4 answers them from open-deal changes (netted per deal and instant), their totals and closes;
  // v5 keeps, while rebuilding, the deals whose changes a later batch corrected; v6 reads a
  // day's open-deal changes through an index on their time alone; v7 leaves room on the pages
  // of the opportunities and their stays for the updates that rewrite them; v8 writes a stage
  // move as one open-deal change instead of two, and keeps no statistics on a deal's lists; v9
  // builds the keys of the stays and amount figures after the catch-up; v10 stores the items of
  // a deal's transitions and amounts as arrays (`StoredTransition`, `StoredFigure`); v11 compares
  // identifiers by their bytes (IDENTIFIER); v12 answers one owner's as-of from that owner's
  // month totals and the month's changes, and finds a deal's changes by its id alone; v13
  // orders an owner's deals by time and id in one index, whatever their status; v14 keeps a
  // deal's transitions and amounts as JSON text instead of jsonb.
  version: 14,
  consumes: { streamNamePrefixes: ['opportunity-'] },
  finishRebuild: (transactions) => forEachConcurrently([finishOpenDealDeltas, replaceStays], transactions.parallelism, (step) => transactions.run(step)),
  primaryKeysAfterCatchUp: () => [
    { table: 'opportunity_stage_history', columns: ['opportunity_id', 'seq'] },
    { table: 'opportunity_amount_history', columns: ['opportunity_id', 'position'] },
  ],
  createTables: (schema: ProjectionSchema) => [
    `CREATE TABLE ${schema.table('opportunities')} (
       opportunity_id ${IDENTIFIER} PRIMARY KEY,
       name text NOT NULL,
       account_id ${IDENTIFIER} NOT NULL,
       owner_id ${IDENTIFIER} NOT NULL,
       pipeline_id ${IDENTIFIER} NOT NULL,
       pipeline_revision integer NOT NULL,
       stage_id ${IDENTIFIER} NOT NULL,
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
       -- Every stage entry and close, and every amount figure, in business time: what the
       -- history is recomputed from when a backdated event lands between two stored ones. As
       -- compact JSON text (StoredTransition, StoredFigure): only the projection reads them,
       -- whole, and text is stored as it comes, where jsonb is parsed and built on every write.
       transitions text NOT NULL,
       amounts text NOT NULL
     ) WITH (fillfactor = ${UPDATED_TABLES_FILLFACTOR})`,
    // No query picks deals by what their lists hold: statistics on them would only cost ANALYZE
    // the reading of every sampled list, half its time on the opportunities of 106,000 deals.
    `ALTER TABLE ${schema.table('opportunities')} ${OPPORTUNITY_LISTS.map((list) => `ALTER COLUMN ${list} SET STATISTICS 0`).join(', ')}`,
    `CREATE TABLE ${schema.table('opportunity_stage_history')} (
       opportunity_id ${IDENTIFIER} NOT NULL,
       seq integer NOT NULL,
       pipeline_id ${IDENTIFIER} NOT NULL,
       stage_id ${IDENTIFIER} NOT NULL,
       entry text NOT NULL CHECK (entry IN ('opened', 'stage_change', 'reopened')),
       entered_at timestamptz NOT NULL,
       exited_at timestamptz,
       exit text CHECK (exit IN ('stage_change', 'won', 'lost')),
       duration_seconds numeric(14,3),
       -- For a cohort of deals opened in a period: the deal's owner and opening, which no event
       -- changes; when the deal next entered a stage; and every stage it had entered by this
       -- stay (a sorted JSON array), so one stay per deal answers "reached by T".
       owner_id ${IDENTIFIER} NOT NULL,
       opened_at timestamptz NOT NULL,
       next_entered_at timestamptz,
       stages_reached text NOT NULL
     ) WITH (fillfactor = ${UPDATED_TABLES_FILLFACTOR})`,
    // While the version rebuilds: each stay a batch wrote again, to replace the one of its deal
    // and seq, which the finish does. A later version of a stay has a greater `version`.
    `CREATE TABLE ${schema.table('stay_replacements')} (
       LIKE ${schema.table('opportunity_stage_history')},
       version bigint GENERATED ALWAYS AS IDENTITY
     )`,
    `CREATE TABLE ${schema.table('opportunity_amount_history')} (
       opportunity_id ${IDENTIFIER} NOT NULL,
       position numeric(20,0) NOT NULL,
       kind text NOT NULL CHECK (kind IN ('expected', 'won')),
       effective_at timestamptz NOT NULL,
       amount_minor bigint NOT NULL,
       currency char(3) NOT NULL
     )`,
    // Only ever added to: a batch adds the corrections its events make, so no row has a key.
    // A stage move is one row: the stage entered, and the one left with the amount it held there.
    `CREATE TABLE ${schema.table('open_deal_deltas')} (
       opportunity_id ${IDENTIFIER} NOT NULL,
       pipeline_id ${IDENTIFIER} NOT NULL,
       owner_id ${IDENTIFIER} NOT NULL,
       stage_id ${IDENTIFIER} NOT NULL,
       currency char(3) NOT NULL,
       at timestamptz NOT NULL,
       count_delta integer NOT NULL,
       amount_delta_minor bigint NOT NULL,
       exited_stage_id ${IDENTIFIER},
       exited_currency char(3),
       exited_amount_minor bigint,
       CHECK ((exited_stage_id IS NULL) = (exited_currency IS NULL) AND (exited_stage_id IS NULL) = (exited_amount_minor IS NULL))
     )`,
    // While the version rebuilds: the deals a later batch corrected open-deal changes of, which
    // the finish nets (a batch writes a deal's changes netted). Empty once it serves.
    `CREATE TABLE ${schema.table('open_deals_to_net')} (opportunity_id ${IDENTIFIER} PRIMARY KEY)`,
    // Totals carried in their key's index, so a report sums them from the index alone.
    openDealTotalsTable(schema.table('open_deal_totals'), [
      ['pipeline_id', `${IDENTIFIER} NOT NULL`],
      ['period', `text NOT NULL CHECK (period IN ('month', 'day'))`],
      ['period_start', 'timestamptz NOT NULL'],
    ]),
    openDealTotalsTable(schema.table('open_deal_owner_totals'), [
      ['pipeline_id', `${IDENTIFIER} NOT NULL`],
      ['owner_id', `${IDENTIFIER} NOT NULL`],
      ['month_start', 'timestamptz NOT NULL'],
    ]),
    `CREATE TABLE ${schema.table('deal_closes')} (
       opportunity_id ${IDENTIFIER} NOT NULL,
       seq integer NOT NULL,
       pipeline_id ${IDENTIFIER} NOT NULL,
       owner_id ${IDENTIFIER} NOT NULL,
       outcome text NOT NULL CHECK (outcome IN ('won', 'lost')),
       opened_at timestamptz NOT NULL,
       closed_at timestamptz NOT NULL,
       reopened_at timestamptz,
       won_amount_minor bigint,
       won_currency char(3),
       won_amount_until timestamptz,
       PRIMARY KEY (opportunity_id, seq)
     )`,
  ],
  // The reports' indexes, all built after the finish: a batch reads and replaces rows by their
  // keys only, and the finish reads none of them while it nets the open-deal changes and
  // replaces stays, which would otherwise have to keep the indexes of those tables up to date.
  // Listed longest build first (at 1,000,000 events), as the runner starts them in this order
  // as connections come free. The names are those PostgreSQL gave these indexes when the
  // tables created them.
  indexesAfterFinish: (schema: ProjectionSchema) => {
    const index = indexAfterCatchUp(schema);
    return [
      // The stays' cohort index.
      index(
        'opportunity_stage_history_pipeline_id_opened_at_entered_at__idx',
        'opportunity_stage_history',
        '(pipeline_id, opened_at) INCLUDE (entered_at, next_entered_at, stages_reached, owner_id)',
      ),
      // The changes of a day up to an instant, and of one owner in a month up to an instant,
      // read from the index alone. A day holds every pipeline's changes of that day, a few
      // thousand at most, and a month a few tens of thousands; so the index is keyed by time
      // alone: a timestamp sorts far quicker than text. Before the owners' month totals, an
      // index keyed by pipeline, owner, deal and time answered one owner's as-of: at 830,000
      // changes it took a rebuild's finish 6 s under load, against 2.6 s for this one.
      index('open_deal_deltas_at_pipeline_id_owner_id_stage_id_currency__idx', 'open_deal_deltas', `(at) INCLUDE (pipeline_id, owner_id, ${OPEN_DEAL_PLACE_COLUMNS})`),
      index('opportunities_pipeline_id_status_stage_id_idx', 'opportunities', '(pipeline_id, status, stage_id)'),
      // One owner's deals of a pipeline newest first, in the order of a page (time, then id),
      // whatever statuses are asked for, and their count from the index alone. Keyed by status
      // before time, the index could not give the order of more than one status: a page of all
      // of an owner's 700 deals read every one of them from the table, a page each.
      index('opportunities_pipeline_id_owner_id_opened_at_opportunity_id_idx', 'opportunities', '(pipeline_id, owner_id, opened_at, opportunity_id) INCLUDE (status)'),
      index('opportunities_pipeline_id_opened_at_owner_id_idx', 'opportunities', '(pipeline_id, opened_at) INCLUDE (owner_id)'),
      // A period's closes, read from the index alone.
      index(
        'deal_closes_pipeline_id_closed_at_opportunity_id_owner_id_o_idx',
        'deal_closes',
        '(pipeline_id, closed_at) INCLUDE (opportunity_id, owner_id, outcome, opened_at, reopened_at, won_amount_minor, won_currency, won_amount_until)',
      ),
      index('opportunities_owner_id_idx', 'opportunities', '(owner_id)'),
      // A deal's changes, which a batch nets when it corrects them.
      index('open_deal_deltas_opportunity_id_idx', 'open_deal_deltas', '(opportunity_id)'),
    ];
  },
  apply: async (batch, tx) => {
    // A deal whose stream begins in the batch has no row yet. Of the others, one a recent
    // batch wrote is still in memory; only the rest are read back.
    const current = new Map<string, OpportunityRow>();
    const unread = new Set<string>();
    const seen = new Set<string>();
    for (const event of batch) {
      const id = (event.data as { opportunityId: string }).opportunityId;
      if (seen.has(id)) continue;
      seen.add(id);
      if (event.revision === 0n) continue;
      const kept = tx.memory.get<OpportunityRow>(id);
      if (kept) current.set(id, kept);
      else unread.add(id);
    }
    for (const [id, row] of await readOpportunities([...unread], tx)) current.set(id, row);
    const changes = opportunityChanges(current, batch);
    const totals = tx.rebuilding ? await rebuildTotals(tx) : undefined;
    await writeOpportunities(changes, tx);
    for (const row of changes.opportunities) tx.memory.keep(row.opportunityId, row);
    if (totals) {
      if (totals instanceof OpenDealTotalsSum) totals.add(changes.openDealDeltas);
      // Kept after the batch's deals, the latest kept: however many deals a batch keeps, they never push it out.
      tx.memory.keep(REBUILD_TOTALS, totals);
    }
  },
};

/**
 * What every reader of `opportunities` selects of a deal's state, as `StoredOpportunityState`:
 * amounts and dates as their text (a bigint may exceed what a number holds exactly; a date has
 * no time zone to shift it), times as UTC ISO-8601.
 */
export const OPPORTUNITY_STATE_COLUMNS = `opportunity_id, name, account_id, owner_id, pipeline_id, stage_id, amount_minor::text AS amount_minor,
  currency, expected_close_date::text AS expected_close_date, status, ${utcText('opened_at')} AS opened_at,
  ${utcText('closed_at')} AS closed_at, won_amount_minor::text AS won_amount_minor, won_currency, loss_reason, loss_note, contact_roles`;

/** A row of `OPPORTUNITY_STATE_COLUMNS`; `contact_roles` as `parsedJson` takes it. */
export interface StoredOpportunityState {
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

/** Drivers differ on whether jsonb arrives parsed; both forms are accepted. */
export function parsedJson<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

/** The state and what only the projection reads: the revisions and the deal's lists. */
interface StoredOpportunity extends StoredOpportunityState {
  pipeline_revision: number;
  stream_revision: string;
  transitions: StoredTransition[] | string;
  amounts: StoredFigure[] | string;
}

/**
 * A transition as a deal's list stores it. An array, not an object: no field names repeated in
 * every item, so the lists take 40 % less text to send and store (when they were jsonb, the
 * 106,000 deals of a million events loaded in 3.1 s instead of 4.0-4.3 s, in a table a quarter
 * smaller).
 */
type StoredTransition = [kind: Transition['kind'], stageId: string, at: string, position: string];

/** An amount figure as a deal's list stores it, an array for the same reason. */
type StoredFigure = [kind: AmountFigure['kind'], amountMinor: number, currency: string, effectiveAt: string, position: string];

function storedTransition({ kind, stageId, at, position }: Transition): StoredTransition {
  return [kind, stageId, at, position];
}

function storedFigure({ kind, amountMinor, currency, effectiveAt, position }: AmountFigure): StoredFigure {
  return [kind, amountMinor, currency, effectiveAt, position];
}

function transitionOf([kind, stageId, at, position]: StoredTransition): Transition {
  return { kind, stageId, at, time: Date.parse(at), position };
}

function figureOf([kind, amountMinor, currency, effectiveAt, position]: StoredFigure): AmountFigure {
  return { kind, amountMinor, currency, effectiveAt, time: Date.parse(effectiveAt), position };
}

/** The stored rows of the batch's opportunities, in one statement. */
export async function readOpportunities(ids: readonly string[], tx: ProjectionTransaction): Promise<Map<string, OpportunityRow>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.query<StoredOpportunity>(
    `SELECT ${OPPORTUNITY_STATE_COLUMNS}, pipeline_revision, stream_revision::text AS stream_revision, transitions, amounts
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
        transitions: parsedJson(row.transitions).map(transitionOf),
        amounts: parsedJson(row.amounts).map(figureOf),
      },
    ]),
  );
}

/**
 * One upsert for the opportunities and one for the stays the batch changed, one insert for
 * the new amount figures and open-deal changes, and for the closes of deals whose stays
 * changed a delete of the stored ones and an insert of the new ones.
 */
export async function writeOpportunities(changes: OpportunityChanges, tx: ProjectionTransaction): Promise<void> {
  if (changes.opportunities.length === 0) return;
  await writeAmountHistory(changes.amountHistory, tx);
  // A deal the batch opened has no row yet: it is inserted, lists and all. A stored one is
  // updated, its lists with what the batch added.
  const opened: OpportunityRow[] = [];
  const updated: OpportunityRow[] = [];
  const addedToUpdated: OpportunityChanges['added'][number][] = [];
  changes.opportunities.forEach((row, index) => {
    if (!changes.stored.has(row.opportunityId)) opened.push(row);
    else {
      updated.push(row);
      addedToUpdated.push(changes.added[index]);
    }
  });
  await tx.insertRows('opportunities', [
    ...opportunityColumns(opened),
    { name: 'contact_roles', type: 'jsonb', values: opened.map((row) => JSON.stringify(row.contactRoles)) },
    { name: 'transitions', type: 'text', values: opened.map((row) => JSON.stringify(row.transitions.map(storedTransition))) },
    { name: 'amounts', type: 'text', values: opened.map((row) => JSON.stringify(row.amounts.map(storedFigure))) },
  ]);
  if (updated.length > 0) await updateOpportunities(updated, addedToUpdated, tx);

  // A stay of a seq its deal did not have is new: adding it costs less than an upsert.
  const deals = new Map(changes.opportunities.map((row) => [row.opportunityId, row]));
  const [replacing, adding] = partition(changes.stageHistory, (stay) => stay.seq <= (changes.storedStays.get(stay.opportunityId) ?? 0));
  await tx.insertRows('opportunity_stage_history', stageHistoryColumns(adding, deals));
  // While rebuilding, the stays have no key yet: those that replace stored ones wait for the finish.
  if (tx.rebuilding) await tx.insertRows('stay_replacements', stageHistoryColumns(replacing, deals));
  else if (replacing.length > 0) await upsertStageHistory(replacing, deals, tx);
  await writeOpenDealDeltas(changes.openDealDeltas, changes.correctedDeltas, tx);
  await writeCloses(changes.closes, changes.closesReplaced, tx);
}

/** The columns of `opportunities` but its lists, in the order `updateOpportunities` sends them. */
function opportunityColumns(rows: readonly OpportunityRow[]): InsertColumn[] {
  return [
    { name: 'opportunity_id', type: 'text', values: rows.map((row) => row.opportunityId) },
    { name: 'name', type: 'text', values: rows.map((row) => row.name) },
    { name: 'account_id', type: 'text', values: rows.map((row) => row.accountId) },
    { name: 'owner_id', type: 'text', values: rows.map((row) => row.ownerId) },
    { name: 'pipeline_id', type: 'text', values: rows.map((row) => row.pipelineId) },
    { name: 'pipeline_revision', type: 'int', values: rows.map((row) => row.pipelineRevision) },
    { name: 'stage_id', type: 'text', values: rows.map((row) => row.stageId) },
    { name: 'amount_minor', type: 'bigint', values: rows.map((row) => String(row.amountMinor)) },
    { name: 'currency', type: 'text', values: rows.map((row) => row.currency) },
    { name: 'expected_close_date', type: 'date', values: rows.map((row) => row.expectedCloseDate) },
    { name: 'status', type: 'text', values: rows.map((row) => row.status) },
    { name: 'opened_at', type: 'timestamptz', values: rows.map((row) => row.openedAt) },
    { name: 'closed_at', type: 'timestamptz', values: rows.map((row) => row.closedAt) },
    { name: 'won_amount_minor', type: 'bigint', values: rows.map((row) => (row.wonAmountMinor === null ? null : String(row.wonAmountMinor))) },
    { name: 'won_currency', type: 'text', values: rows.map((row) => row.wonCurrency) },
    { name: 'loss_reason', type: 'text', values: rows.map((row) => row.lossReason) },
    { name: 'loss_note', type: 'text', values: rows.map((row) => row.lossNote) },
    { name: 'stream_revision', type: 'bigint', values: rows.map((row) => row.streamRevision.toString()) },
  ];
}

/** Stored deals: every column replaced, and what the batch added appended to their lists. */
async function updateOpportunities(rows: readonly OpportunityRow[], added: OpportunityChanges['added'], tx: ProjectionTransaction): Promise<void> {
  const columns = opportunityColumns(rows);
  // Only what the batch added: sending the lists whole made an interleaved history send (and
  // parse) each deal's lists once per batch that touched it.
  const lists: InsertColumn[] = [
    { name: 'contact_roles', type: 'jsonb', values: added.map((list) => JSON.stringify(list.contactRoles)) },
    { name: 'transitions', type: 'text', values: added.map((list) => JSON.stringify(list.transitions.map(storedTransition))) },
    { name: 'amounts', type: 'text', values: added.map((list) => JSON.stringify(list.amounts.map(storedFigure))) },
  ];
  await tx.query(
    `${insertFromArrays(`${tx.schema.table('opportunities')} AS o`, [...columns, ...lists])}
     ON CONFLICT (opportunity_id) DO UPDATE
        SET ${replacedByExcluded(columns.slice(1))},
            -- The lists are only ever added to: the batch sends what it added.
            contact_roles = o.contact_roles || excluded.contact_roles,
            transitions = ${appendedJsonArray('o.transitions', 'excluded.transitions')},
            amounts = ${appendedJsonArray('o.amounts', 'excluded.amounts')}`,
    columnValues([...columns, ...lists]),
  );
}

/**
 * SQL for the compact JSON text of array `first` followed by the items of array `then`, both
 * compact JSON text as JSON.stringify writes it: the same text as JSON.stringify writes of the
 * whole list, so a deal's lists are the same however the log was cut into batches.
 */
function appendedJsonArray(first: string, then: string): string {
  return `CASE WHEN ${then} = '[]' THEN ${first} WHEN ${first} = '[]' THEN ${then} ELSE left(${first}, -1) || ',' || substr(${then}, 2) END`;
}

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  const passing: T[] = [];
  const failing: T[] = [];
  for (const item of items) (test(item) ? passing : failing).push(item);
  return [passing, failing];
}

/** The stays' columns; a stay's owner and opening are its deal's. */
function stageHistoryColumns(history: readonly StageHistoryRow[], deals: ReadonlyMap<string, OpportunityRow>): InsertColumn[] {
  const dealOf = (row: StageHistoryRow) => deals.get(row.opportunityId) as OpportunityRow;
  return [
    { name: 'opportunity_id', type: 'text', values: history.map((row) => row.opportunityId) },
    { name: 'seq', type: 'int', values: history.map((row) => row.seq) },
    { name: 'pipeline_id', type: 'text', values: history.map((row) => row.pipelineId) },
    { name: 'stage_id', type: 'text', values: history.map((row) => row.stageId) },
    { name: 'entry', type: 'text', values: history.map((row) => row.entry) },
    { name: 'entered_at', type: 'timestamptz', values: history.map((row) => row.enteredAt) },
    { name: 'exited_at', type: 'timestamptz', values: history.map((row) => row.exitedAt) },
    { name: 'exit', type: 'text', values: history.map((row) => row.exit) },
    { name: 'duration_seconds', type: 'numeric', values: history.map((row) => row.durationSeconds) },
    { name: 'owner_id', type: 'text', values: history.map((row) => dealOf(row).ownerId) },
    { name: 'opened_at', type: 'timestamptz', values: history.map((row) => dealOf(row).openedAt) },
    { name: 'next_entered_at', type: 'timestamptz', values: history.map((row) => row.nextEnteredAt) },
    { name: 'stages_reached', type: 'text', values: history.map((row) => JSON.stringify(row.stagesReached)) },
  ];
}

/** Stays of stored deals, each replacing the stored one of its seq; a deal's stays only ever grow in number. */
async function upsertStageHistory(history: readonly StageHistoryRow[], deals: ReadonlyMap<string, OpportunityRow>, tx: ProjectionTransaction): Promise<void> {
  const columns = stageHistoryColumns(history, deals);
  await tx.query(
    `${insertFromArrays(tx.schema.table('opportunity_stage_history'), columns)}
     ON CONFLICT (opportunity_id, seq) DO UPDATE SET ${replacedByExcluded(columns.slice(2))}`,
    columnValues(columns),
  );
}

/** The columns of an open-deal change that say where it counts, and how much. */
const OPEN_DEAL_PLACE_COLUMNS = 'stage_id, currency, count_delta, amount_delta_minor, exited_stage_id, exited_currency, exited_amount_minor';

/**
 * The places the open-deal changes of `table` (as `alias`) that `where` picks out count at,
 * as rows of `columns` then stage_id, currency, count_delta and amount_delta_minor: each
 * change's own place, and the one a move left. Read in two passes, which over a rebuild's
 * changes took half as long as joining each change to a list of its two places.
 */
export function openDealPlaces(table: string, alias: string, columns: string, where = 'true'): string {
  return `SELECT ${columns}, ${alias}.stage_id, ${alias}.currency, ${alias}.count_delta, ${alias}.amount_delta_minor FROM ${table} ${alias} WHERE ${where}
     UNION ALL
     SELECT ${columns}, ${alias}.exited_stage_id, ${alias}.exited_currency, -1, -${alias}.exited_amount_minor FROM ${table} ${alias}
      WHERE (${where}) AND ${alias}.exited_stage_id IS NOT NULL`;
}

/**
 * Adds the batch's open-pipeline changes and adds them to their month and day totals, in one
 * statement, then nets the deals whose changes it corrected. While the version is
 * rebuilding, only adds them and notes those deals: netting them and the totals are done
 * once at the end (`finishOpenDealDeltas`).
 */
async function writeOpenDealDeltas(deltas: OpportunityChanges['openDealDeltas'], corrected: readonly string[], tx: ProjectionTransaction): Promise<void> {
  if (deltas.length === 0) return;
  const deltasTable = tx.schema.table('open_deal_deltas');
  const columns: InsertColumn[] = [
    { name: 'opportunity_id', type: 'text', values: deltas.map((row) => row.opportunityId) },
    { name: 'pipeline_id', type: 'text', values: deltas.map((row) => row.pipelineId) },
    { name: 'owner_id', type: 'text', values: deltas.map((row) => row.ownerId) },
    { name: 'stage_id', type: 'text', values: deltas.map((row) => row.stageId) },
    { name: 'currency', type: 'text', values: deltas.map((row) => row.currency) },
    { name: 'at', type: 'timestamptz', values: deltas.map((row) => row.at) },
    { name: 'count_delta', type: 'int', values: deltas.map((row) => row.countDelta) },
    { name: 'amount_delta_minor', type: 'bigint', values: deltas.map((row) => String(row.amountDeltaMinor)) },
    { name: 'exited_stage_id', type: 'text', values: deltas.map((row) => row.exitedStageId) },
    { name: 'exited_currency', type: 'text', values: deltas.map((row) => row.exitedCurrency) },
    { name: 'exited_amount_minor', type: 'bigint', values: deltas.map((row) => (row.exitedAmountMinor === null ? null : String(row.exitedAmountMinor))) },
  ];
  if (tx.rebuilding) {
    await tx.insertRows('open_deal_deltas', columns);
    // A batch's changes of one deal come netted (`opportunityChanges`): only one that lands
    // where a stored change is leaves something to net.
    if (corrected.length > 0) {
      await tx.query(`INSERT INTO ${tx.schema.table('open_deals_to_net')} SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`, [corrected]);
    }
    return;
  }
  await tx.query(
    `WITH added AS (
       ${insertFromArrays(deltasTable, columns)}
       RETURNING pipeline_id, owner_id, at, ${OPEN_DEAL_PLACE_COLUMNS}
     ),
     pipeline_totals AS (
       INSERT INTO ${tx.schema.table('open_deal_totals')} AS t (pipeline_id, period, period_start, stage_id, currency, count, amount_minor)
       ${openDealTotalsOf('added')}
       ON CONFLICT (pipeline_id, period, period_start, stage_id, currency) DO UPDATE
          SET count = t.count + excluded.count, amount_minor = t.amount_minor + excluded.amount_minor
     )
     INSERT INTO ${tx.schema.table('open_deal_owner_totals')} AS t (pipeline_id, owner_id, month_start, stage_id, currency, count, amount_minor)
     ${openDealOwnerTotalsOf('added')}
     ON CONFLICT (pipeline_id, owner_id, month_start, stage_id, currency) DO UPDATE
        SET count = t.count + excluded.count, amount_minor = t.amount_minor + excluded.amount_minor`,
    columnValues(columns),
  );
  // Corrections leave several rows per deal and instant, and totals that came back to zero,
  // in a pattern that depends on how the log was cut into batches. Netting them keeps the
  // tables a function of the history alone: a rebuild gives the very same rows.
  if (corrected.length > 0) {
    await tx.query(`WITH ${nettedDeltas(deltasTable, 'USING unnest($1::text[]) AS deal(opportunity_id) WHERE d.opportunity_id = deal.opportunity_id')}`, [corrected]);
  }
  // A deal has one owner: the batch's pairs of pipeline and owner are those of its deals.
  const owners = new Map(deltas.map((row) => [`${row.pipelineId}\u0000${row.ownerId}`, row]));
  await tx.query(
    `WITH pipeline_totals AS (
       DELETE FROM ${tx.schema.table('open_deal_totals')} t USING unnest($1::text[]) AS p(pipeline_id)
        WHERE t.pipeline_id = p.pipeline_id AND t.count = 0 AND t.amount_minor = 0
     )
     DELETE FROM ${tx.schema.table('open_deal_owner_totals')} t USING unnest($2::text[], $3::text[]) AS o(pipeline_id, owner_id)
      WHERE t.pipeline_id = o.pipeline_id AND t.owner_id = o.owner_id AND t.count = 0 AND t.amount_minor = 0`,
    [[...new Set(deltas.map((row) => row.pipelineId))], [...owners.values()].map((row) => row.pipelineId), [...owners.values()].map((row) => row.ownerId)],
  );
}

/**
 * The month and day totals of the open-deal changes in `source`, those that are not zero. The
 * changes are summed by day once and the months from the days: grouping every change twice,
 * once per period, took twice as long over a rebuild's 1.3 million changes. A change's day is
 * its UTC date, which takes a third less time than truncating every timestamp in UTC.
 */
function openDealTotalsOf(source: string): string {
  return `WITH days AS (
       SELECT pipeline_id, (at AT TIME ZONE 'UTC')::date AS day, stage_id, currency, sum(count_delta) AS count, sum(amount_delta_minor) AS amount_minor
         FROM (${openDealPlaces(source, 'd', 'd.pipeline_id, d.at')}) place
        GROUP BY 1, 2, 3, 4
     )
     SELECT pipeline_id, 'day', day::timestamp AT TIME ZONE 'UTC', stage_id, currency, count, amount_minor FROM days WHERE count <> 0 OR amount_minor <> 0
     UNION ALL
     SELECT pipeline_id, 'month', date_trunc('month', day::timestamp) AT TIME ZONE 'UTC', stage_id, currency, sum(count), sum(amount_minor)
       FROM days
      GROUP BY 1, 3, 4, 5
     HAVING sum(count) <> 0 OR sum(amount_minor) <> 0`;
}

/**
 * A table of open-deal totals: keyed by the `period` columns, then stage and currency, with
 * the count and amount carried in the key's index.
 */
function openDealTotalsTable(table: string, period: readonly (readonly [name: string, type: string])[]): string {
  const key = [...period.map(([name]) => name), 'stage_id', 'currency'];
  return `CREATE TABLE ${table} (
       ${period.map(([name, type]) => `${name} ${type}`).join(',\n       ')},
       stage_id ${IDENTIFIER} NOT NULL,
       currency char(3) NOT NULL,
       count bigint NOT NULL,
       amount_minor bigint NOT NULL,
       PRIMARY KEY (${key.join(', ')}) INCLUDE (count, amount_minor)
     )`;
}

/** Each owner's month totals of the open-deal changes in `source`, those that are not zero. */
function openDealOwnerTotalsOf(source: string): string {
  return `SELECT pipeline_id, owner_id, date_trunc('month', at, 'UTC'), stage_id, currency, sum(count_delta), sum(amount_delta_minor)
       FROM (${openDealPlaces(source, 'd', 'd.pipeline_id, d.owner_id, d.at')}) place(pipeline_id, owner_id, at, stage_id, currency, count_delta, amount_delta_minor)
      GROUP BY 1, 2, 3, 4, 5
     HAVING sum(count_delta) <> 0 OR sum(amount_delta_minor) <> 0`;
}

/**
 * The rows of the deals `where` picks out (alias d) replaced by their sums per deal, instant,
 * stage and currency, without those that come to nothing, folded as the projection folds a
 * deal's changes at one instant: two places one of which loses one deal are one move.
 */
function nettedDeltas(deltasTable: string, where: string): string {
  return `removed AS (
       DELETE FROM ${deltasTable} d ${where}
       RETURNING d.*
     ),
     places AS (
       SELECT opportunity_id, pipeline_id, owner_id, at, stage_id, currency, sum(count_delta) AS count_delta, sum(amount_delta_minor) AS amount_delta_minor
         FROM (${openDealPlaces('removed', 'r', 'r.opportunity_id, r.pipeline_id, r.owner_id, r.at')}) place
        GROUP BY 1, 2, 3, 4, 5, 6
       HAVING sum(count_delta) <> 0 OR sum(amount_delta_minor) <> 0
     ),
     counted AS (
       SELECT p.*, count(*) OVER instant = 2 AND count(*) FILTER (WHERE p.count_delta = -1) OVER instant = 1 AS move
         FROM places p
       WINDOW instant AS (PARTITION BY p.opportunity_id, p.at)
     )
     INSERT INTO ${deltasTable}
       (opportunity_id, pipeline_id, owner_id, at, ${OPEN_DEAL_PLACE_COLUMNS})
     SELECT opportunity_id, pipeline_id, owner_id, at,
            max(stage_id) FILTER (WHERE count_delta <> -1), max(currency) FILTER (WHERE count_delta <> -1),
            sum(count_delta) FILTER (WHERE count_delta <> -1), sum(amount_delta_minor) FILTER (WHERE count_delta <> -1),
            max(stage_id) FILTER (WHERE count_delta = -1), max(currency) FILTER (WHERE count_delta = -1),
            -sum(amount_delta_minor) FILTER (WHERE count_delta = -1)
       FROM counted WHERE move
      GROUP BY 1, 2, 3, 4
     UNION ALL
     SELECT opportunity_id, pipeline_id, owner_id, at, stage_id, currency, count_delta, amount_delta_minor, NULL, NULL, NULL
       FROM counted WHERE NOT move`;
}

/** Where a rebuild's runner keeps the open-deal totals of its batches; no opportunity id holds a NUL. */
const REBUILD_TOTALS = '\u0000open_deal_totals';

/** Kept instead when the rebuild's first batches went by before the totals were kept: they are summed at the end. */
const TOTALS_LEFT_TO_THE_FINISH = Object.freeze({});

/**
 * What a rebuild's batch adds its open-deal changes to, from memory: the totals of every change
 * the rebuild has written, if they are all there. They are started when no change is stored
 * yet, and gone whenever the runner forgets what it kept (a batch that did not commit, a
 * restart); after that, TOTALS_LEFT_TO_THE_FINISH says the finish sums the stored changes.
 */
async function rebuildTotals(tx: ProjectionTransaction): Promise<OpenDealTotalsSum | typeof TOTALS_LEFT_TO_THE_FINISH> {
  const kept = tx.memory.get<object>(REBUILD_TOTALS);
  if (kept !== undefined) return kept;
  const [{ empty }] = await tx.query<{ empty: boolean }>(`SELECT NOT EXISTS (SELECT FROM ${tx.schema.table('open_deal_deltas')}) AS empty`);
  return empty ? new OpenDealTotalsSum() : TOTALS_LEFT_TO_THE_FINISH;
}

/**
 * What a rebuild left out of every batch: the changes of the deals a later batch corrected
 * netted, and the totals, as its batches added them up or summed once from the changes.
 */
async function finishOpenDealDeltas(tx: ProjectionTransaction): Promise<void> {
  const deltasTable = tx.schema.table('open_deal_deltas');
  const totals = tx.schema.table('open_deal_totals');
  await tx.query(
    `WITH uneven AS (DELETE FROM ${tx.schema.table('open_deals_to_net')} RETURNING opportunity_id),
     ${nettedDeltas(deltasTable, 'USING uneven u WHERE d.opportunity_id = u.opportunity_id')}`,
  );
  const ownerTotals = tx.schema.table('open_deal_owner_totals');
  await tx.query(`DELETE FROM ${totals}`);
  await tx.query(`DELETE FROM ${ownerTotals}`);
  const kept = tx.memory.get<object>(REBUILD_TOTALS);
  const summed = kept instanceof OpenDealTotalsSum ? kept.take() : undefined;
  if (summed) {
    const { totals: rows, ownerTotals: ownerRows } = summed;
    await tx.insertRows('open_deal_totals', [
      { name: 'pipeline_id', type: 'text', values: rows.map((row) => row.pipelineId) },
      { name: 'period', type: 'text', values: rows.map((row) => row.period) },
      { name: 'period_start', type: 'timestamptz', values: rows.map((row) => row.periodStart) },
      ...sumColumns(rows),
    ]);
    await tx.insertRows('open_deal_owner_totals', [
      { name: 'pipeline_id', type: 'text', values: ownerRows.map((row) => row.pipelineId) },
      { name: 'owner_id', type: 'text', values: ownerRows.map((row) => row.ownerId) },
      { name: 'month_start', type: 'timestamptz', values: ownerRows.map((row) => row.monthStart) },
      ...sumColumns(ownerRows),
    ]);
    return;
  }
  // The days of a million changes and more are summed in memory: at the default work_mem they
  // spill to disk (in 9 to 33 batches, as the plan goes), a fifth slower.
  await tx.query(`SET LOCAL work_mem = '64MB'`);
  await tx.query(
    `INSERT INTO ${totals} (pipeline_id, period, period_start, stage_id, currency, count, amount_minor)
     ${openDealTotalsOf(deltasTable)}`,
  );
  await tx.query(
    `INSERT INTO ${ownerTotals} (pipeline_id, owner_id, month_start, stage_id, currency, count, amount_minor)
     ${openDealOwnerTotalsOf(deltasTable)}`,
  );
}

/** The columns after the key's period of a row of open-deal totals: its stage and currency, and their sums. */
function sumColumns(rows: readonly Pick<OpenDealTotalRow, 'stageId' | 'currency' | 'count' | 'amountMinor'>[]): InsertColumn[] {
  return [
    { name: 'stage_id', type: 'text', values: rows.map((row) => row.stageId) },
    { name: 'currency', type: 'text', values: rows.map((row) => row.currency) },
    { name: 'count', type: 'bigint', values: rows.map((row) => String(row.count)) },
    { name: 'amount_minor', type: 'bigint', values: rows.map((row) => String(row.amountMinor)) },
  ];
}

/**
 * The stays a rebuild's batches wrote again, each put in place of the stay of its deal and seq
 * as its latest version, before the stays have a key or an index. Every one of them replaces a
 * stay: a stay is first written as new. An update puts the new version in the room the
 * fillfactor left on the old one's page: with 520,000 stays written again, the table came out
 * a quarter smaller than by deleting the old stays and adding the new ones, for 0.6 s more.
 */
async function replaceStays(tx: ProjectionTransaction): Promise<void> {
  const replacements = tx.schema.table('stay_replacements');
  const [key, changed] = partition(stageHistoryColumns([], new Map()), (column) => column.name === 'opportunity_id' || column.name === 'seq');
  // The latest versions are picked in one sort, which at the default work_mem spills to disk.
  await tx.query(`SET LOCAL work_mem = '64MB'`);
  await tx.query(
    `UPDATE ${tx.schema.table('opportunity_stage_history')} s SET (${columnNames(changed)}) = (${changed.map(({ name }) => `l.${name}`).join(', ')})
       FROM (SELECT DISTINCT ON (opportunity_id, seq) * FROM ${replacements} ORDER BY opportunity_id, seq, version DESC) l
      WHERE ${key.map(({ name }) => `s.${name} = l.${name}`).join(' AND ')}`,
  );
  await tx.query(`TRUNCATE ${replacements}`);
}

async function writeCloses(closes: OpportunityChanges['closes'], replaced: readonly string[], tx: ProjectionTransaction): Promise<void> {
  if (replaced.length > 0) await tx.query(`DELETE FROM ${tx.schema.table('deal_closes')} WHERE opportunity_id = ANY($1::text[])`, [replaced]);
  await tx.insertRows('deal_closes', [
    { name: 'opportunity_id', type: 'text', values: closes.map((row) => row.opportunityId) },
    { name: 'seq', type: 'int', values: closes.map((row) => row.seq) },
    { name: 'pipeline_id', type: 'text', values: closes.map((row) => row.pipelineId) },
    { name: 'owner_id', type: 'text', values: closes.map((row) => row.ownerId) },
    { name: 'outcome', type: 'text', values: closes.map((row) => row.outcome) },
    { name: 'opened_at', type: 'timestamptz', values: closes.map((row) => row.openedAt) },
    { name: 'closed_at', type: 'timestamptz', values: closes.map((row) => row.closedAt) },
    { name: 'reopened_at', type: 'timestamptz', values: closes.map((row) => row.reopenedAt) },
    { name: 'won_amount_minor', type: 'bigint', values: closes.map((row) => (row.wonAmountMinor === null ? null : String(row.wonAmountMinor))) },
    { name: 'won_currency', type: 'text', values: closes.map((row) => row.wonCurrency) },
    { name: 'won_amount_until', type: 'timestamptz', values: closes.map((row) => row.wonAmountUntil) },
  ]);
}

/**
 * One row per figure, keyed by its event's position: a figure never changes once recorded.
 * Live, a figure already stored is left as it is; a rebuild adds each one once.
 */
async function writeAmountHistory(figures: OpportunityChanges['amountHistory'], tx: ProjectionTransaction): Promise<void> {
  const columns: InsertColumn[] = [
    { name: 'opportunity_id', type: 'text', values: figures.map((row) => row.opportunityId) },
    { name: 'position', type: 'numeric', values: figures.map((row) => row.position) },
    { name: 'kind', type: 'text', values: figures.map((row) => row.kind) },
    { name: 'effective_at', type: 'timestamptz', values: figures.map((row) => row.effectiveAt) },
    { name: 'amount_minor', type: 'bigint', values: figures.map((row) => String(row.amountMinor)) },
    { name: 'currency', type: 'text', values: figures.map((row) => row.currency) },
  ];
  if (tx.rebuilding) return tx.insertRows('opportunity_amount_history', columns);
  if (figures.length === 0) return;
  await tx.query(`${insertFromArrays(tx.schema.table('opportunity_amount_history'), columns)} ON CONFLICT (opportunity_id, position) DO NOTHING`, columnValues(columns));
}
