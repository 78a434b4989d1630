import { DEFAULT_LOOKBACK_DAYS, dimensions, type Basis } from '@revops/attribution';
import { forEachConcurrently } from '@revops/platform';
import { IDENTIFIER, indexAfterCatchUp, type Projection, type ProjectionSchema, type ProjectionTransaction, type RebuildTransactions } from '../runner/projection';
import { JOURNEY_TABLES, lastTouchAtOrBefore, readDealJourneys, readDealJourneysInRange, type AttributionSql } from './attribution-journeys';
import { dimensionColumns } from './attribution-keys';
import { utcText } from '../runner/utc-text';
import {
  ATTRIBUTION_EVENT_TYPES,
  attributionInputs,
  creditTotalsDelta,
  CreditTotalsSum,
  storedDealCredits,
  type AttributionInputs,
  type CreditRow,
  type CreditTotalsDelta,
  type StoredCredit,
} from './attribution.projection';

export const ATTRIBUTION_PROJECTION = 'attribution';

/** Deals recomputed per read of their journeys: bounds the rows one statement returns. */
const RECOMPUTE_CHUNK = 2_000;
/** Credit rows per INSERT. */
const INSERT_CHUNK = 10_000;

/** What `leads` keeps of a contact's lead and MQL touch: `lead_touch_id`, `lead_channel`, … `mql_content`. */
const touchColumns = ['touchpoint_id', ...dimensions.map((dimension) => dimensionColumns[dimension])];
const milestoneTouchColumns = (['lead', 'mql'] as const).flatMap((moment) =>
  touchColumns.map((column) => `${moment}_${column === 'touchpoint_id' ? 'touch_id' : column}`),
);

/**
 * `credits`: every rule-based model's credit per (opportunity, touchpoint, model, basis) at the
 * default lookback, kept beside the inputs they are computed from (`touches`, `person_keys`,
 * `leads`, `deals`, `deal_contacts`), so a late touch, an identity link, a merge, a new contact
 * role, a win or a reopening recomputes exactly the deals whose journey or basis it changes.
 */
export const attributionProjection: Projection = {
  name: ATTRIBUTION_PROJECTION,
  // v2 keeps a deal credited whole to (none) once per basis, not once per model; v3 makes the
  // keys of credits and their totals, and the credits' report index, after a rebuild's finish;
  // v4 compares identifiers by their bytes (IDENTIFIER).
  version: 4,
  consumes: { streamNamePrefixes: ['journey-', 'contact-', 'opportunity-'], eventTypePrefixes: ATTRIBUTION_EVENT_TYPES },
  createTables: (schema: ProjectionSchema) => [
    `CREATE TABLE ${schema.table('touches')} (
       touchpoint_id ${IDENTIFIER} PRIMARY KEY,
       person_key ${IDENTIFIER} NOT NULL,
       account_id ${IDENTIFIER},
       occurred_at timestamptz NOT NULL,
       commit_position numeric(20,0) NOT NULL,
       kind text NOT NULL,
       channel text NOT NULL,
       campaign_id ${IDENTIFIER},
       source text,
       medium text,
       content text
     )`,
    // Person keys other than the contact's own id that lead to its touches: stitched anonymous
    // histories, and every key of a contact merged into it.
    `CREATE TABLE ${schema.table('person_keys')} (
       person_key ${IDENTIFIER} NOT NULL,
       contact_id ${IDENTIFIER} NOT NULL,
       PRIMARY KEY (person_key, contact_id)
     )`,
    `CREATE INDEX ON ${schema.table('person_keys')} (contact_id)`,
    // A contact's first capture as a lead (the LC milestone) and first entry into MQL.
    `CREATE TABLE ${schema.table('leads')} (
       contact_id ${IDENTIFIER} PRIMARY KEY,
       lead_at timestamptz,
       mql_at timestamptz,
       -- The last touch at or before each moment (within the default lookback), with its value
       -- of every dimension: what made the lead, and the MQL, as reports count them.
       ${milestoneTouchColumns.map((column) => `${column} ${column.endsWith('_id') ? IDENTIFIER : 'text'},`).join('\n       ')}
       -- A contact merged into another is its duplicate: reports count the survivor only.
       merged_into ${IDENTIFIER}
     )`,
    // The log position of the last event that changed any input: results derived from the
    // inputs (the data-driven models) stay valid while it stands still. A position, not a
    // count of batches, so it does not depend on how the log was cut into batches.
    `CREATE TABLE ${schema.table('inputs_changed')} (
       singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
       commit_position numeric(20,0) NOT NULL
     )`,
    `INSERT INTO ${schema.table('inputs_changed')} (commit_position) VALUES (0)`,
    `CREATE TABLE ${schema.table('deals')} (
       opportunity_id ${IDENTIFIER} PRIMARY KEY,
       account_id ${IDENTIFIER} NOT NULL,
       opened_at timestamptz NOT NULL,
       amount_minor bigint NOT NULL,
       currency char(3) NOT NULL,
       won_at timestamptz,
       won_amount_minor bigint,
       won_currency char(3)
     )`,
    `CREATE TABLE ${schema.table('deal_contacts')} (
       opportunity_id ${IDENTIFIER} NOT NULL,
       contact_id ${IDENTIFIER} NOT NULL,
       PRIMARY KEY (opportunity_id, contact_id)
     )`,
    `CREATE TABLE ${schema.table('credits')} (
       opportunity_id ${IDENTIFIER} NOT NULL,
       basis text NOT NULL CHECK (basis IN ('PIPELINE', 'REVENUE')),
       -- EVERY_STORED_MODEL ('(all)') for a basis every model credits whole to '(none)'.
       model text NOT NULL,
       -- '(none)' when the deal has no eligible touch and is credited whole to no marketing.
       touchpoint_id ${IDENTIFIER} NOT NULL,
       ordinal integer NOT NULL,
       anchor_at timestamptz NOT NULL,
       currency char(3) NOT NULL,
       share numeric(38,18) NOT NULL,
       credit_minor bigint NOT NULL,
       positions text[] NOT NULL,
       occurred_at timestamptz,
       kind text,
       channel text,
       campaign_id ${IDENTIFIER},
       source text,
       medium text,
       content text
     )`,
    // Credits summed per day of anchor and key of every dimension, kept with the credits: a
    // report over whole days reads a few rows per key and day instead of every credit. The
    // dimension 'all' holds each deal once, for the period's totals. Credits kept under
    // '(all)' are summed under '(all)'.
    `CREATE TABLE ${schema.table('credit_totals')} (
       model text NOT NULL,
       currency char(3) NOT NULL,
       dimension text NOT NULL,
       anchor_day date NOT NULL,
       basis text NOT NULL,
       key text NOT NULL,
       conversions numeric(38,18) NOT NULL,
       amount_minor bigint NOT NULL,
       deals integer NOT NULL
     )`,
  ],
  // A rebuild's batches only add inputs, by their keys; its finish reads the touches through
  // their indexes, built before it. (`person_keys` keeps its index: a merge reads it.) The
  // names are those PostgreSQL gave these indexes when the tables created them.
  indexesAfterCatchUp: (schema: ProjectionSchema) => {
    const index = indexAfterCatchUp(schema);
    return [
      index('touches_person_key_occurred_at_idx', 'touches', '(person_key, occurred_at)'),
      index('touches_account_id_occurred_at_idx', 'touches', '(account_id, occurred_at) WHERE account_id IS NOT NULL'),
      index('touches_occurred_at_idx', 'touches', '(occurred_at)'),
      index('leads_lead_at_idx', 'leads', '(lead_at)'),
      index('leads_mql_at_idx', 'leads', '(mql_at)'),
      index('deals_account_id_idx', 'deals', '(account_id)'),
      index('deals_opened_at_idx', 'deals', '(opened_at)'),
      index('deals_won_at_idx', 'deals', '(won_at) WHERE won_at IS NOT NULL'),
      index('deal_contacts_contact_id_idx', 'deal_contacts', '(contact_id)'),
    ];
  },
  apply: (batch, tx) => writeAttribution(attributionInputs(batch), tx),
  finishRebuild: (transactions) => creditEveryDeal(transactions),
  // The finish writes every credit and total: keys and the index built from the finished
  // tables take a fraction of keeping them up to date row by row.
  primaryKeysAfterCatchUp: () => [
    { table: 'credits', columns: ['opportunity_id', 'basis', 'model', 'touchpoint_id'] },
    { table: 'credit_totals', columns: ['model', 'currency', 'dimension', 'anchor_day', 'basis', 'key'] },
  ],
  // Reports read one model over a period of anchors, both bases at once (ROAS needs revenue).
  indexesAfterFinish: (schema: ProjectionSchema) => [indexAfterCatchUp(schema)('credits_model_anchor_at_idx', 'credits', '(model, anchor_at)')],
};

/** What the writer runs its SQL through: a projection transaction's queries and its `insertRows`. */
type WriterSql = AttributionSql & Pick<ProjectionTransaction, 'insertRows'>;

function attributionSql(tx: ProjectionTransaction): WriterSql {
  return { table: (name) => tx.schema.table(name), query: (text, parameters) => tx.query(text, parameters), insertRows: (table, columns) => tx.insertRows(table, columns) };
}

/**
 * Stores a batch's inputs and recredits the deals and leads they can change. A rebuild only
 * stores the inputs: a deal's credits would be recomputed at its opening, at every contact
 * role and at its win, so it is credited once instead, when the rebuild has caught up.
 */
export async function writeAttribution(inputs: AttributionInputs, tx: ProjectionTransaction): Promise<void> {
  const sql = attributionSql(tx);
  await writeInputs(inputs, sql);
  if (tx.rebuilding) return;
  const deals = await affectedDeals(inputs, sql);
  // A deal opened in this batch has no credits to take back: it was never credited before.
  const opened = new Set(inputs.openedDeals.map((deal) => deal.opportunityId));
  for (let start = 0; start < deals.length; start += RECOMPUTE_CHUNK) {
    await recomputeCredits(deals.slice(start, start + RECOMPUTE_CHUNK), opened, sql);
  }
  await recomputeLeadTouches(await affectedLeads(inputs, sql), sql);
}

/**
 * The end of a rebuild: every deal credited and every lead's touches looked up from the
 * inputs as they stand, then `credit_totals` written. Starts from no credits, so a finish
 * that ran before (and was cut short, or caught up again after a restart) gives the same
 * rows. Parts of the deals (`dealsPerPart` each, consecutive by id) are credited in
 * transactions of their own, some at once.
 */
export async function creditEveryDeal(transactions: RebuildTransactions, dealsPerPart = RECOMPUTE_CHUNK): Promise<void> {
  if (!Number.isInteger(dealsPerPart) || dealsPerPart < 1) throw new RangeError(`dealsPerPart must be a positive integer, not ${dealsPerPart}`);
  const deals = await transactions.run(async (tx) => {
    const sql = attributionSql(tx);
    await sql.query(`TRUNCATE ${sql.table('credits')}, ${sql.table('credit_totals')}`);
    // The journeys are read from tables the catch-up has just filled, which have no planner
    // statistics yet. Without them the planner expects each id of a part to match hundreds of
    // rows, and merge-joins a part's ids with the whole of deal_contacts' key: at 106,000 deals
    // a part took 150 to 300 ms in a rebuild's finish, against 30 to 75 ms by key.
    await sql.query(`ANALYZE ${JOURNEY_TABLES.map((table) => sql.table(table)).join(', ')}`);
    return sql.query<{ opportunity_id: string }>(`SELECT opportunity_id FROM ${sql.table('deals')} ORDER BY opportunity_id`);
  });
  // Each part is a range of ids, from its first deal to its last, in the order of their key.
  const parts: { first: string; last: string }[] = [];
  for (let start = 0; start < deals.length; start += dealsPerPart) {
    const end = Math.min(start + dealsPerPart, deals.length) - 1;
    parts.push({ first: deals[start].opportunity_id, last: deals[end].opportunity_id });
  }
  // Summed here as the credits are made: a GROUP BY over every credit under every dimension
  // sorts several rows per credit, and takes far longer.
  const totals = new CreditTotalsSum();
  await forEachConcurrently(parts, transactions.parallelism, (part) =>
    transactions.run(async (tx) => {
      const sql = attributionSql(tx);
      // A part's deals, contacts and touches are read by key, from tables a rebuild has just
      // written and the server holds in memory. At the default cost of a random read the
      // planner would rather hash every deal, or every touch, for each part. Parts run side by
      // side already: workers of a part's query would only add their start to its time.
      await sql.query('SET LOCAL random_page_cost = 1.1');
      await sql.query('SET LOCAL max_parallel_workers_per_gather = 0');
      const journeys = await readDealJourneysInRange(sql, part.first, part.last);
      const credits = journeys.flatMap(storedDealCredits);
      await insertAllCredits(credits, sql);
      totals.add(credits);
    }),
  );
  const rows = totals.totals();
  const totalsParts: CreditTotalsDelta[][] = [];
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) totalsParts.push(rows.slice(start, start + INSERT_CHUNK));
  await forEachConcurrently(totalsParts, transactions.parallelism, (part) =>
    transactions.run(async (tx) => {
      await insertTotals(part, attributionSql(tx));
    }),
  );
  await transactions.run(async (tx) => {
    const sql = attributionSql(tx);
    const leads = await sql.query<{ contact_id: string }>(`SELECT contact_id FROM ${sql.table('leads')} ORDER BY contact_id`);
    for (let start = 0; start < leads.length; start += RECOMPUTE_CHUNK) {
      await recomputeLeadTouches(leads.slice(start, start + RECOMPUTE_CHUNK).map((lead) => lead.contact_id), sql);
    }
  });
}

async function writeInputs(inputs: AttributionInputs, sql: AttributionSql): Promise<void> {
  const { touches, identityLinks, merges, leads, mqls, openedDeals, outcomes, dealContacts, lastChangePosition } = inputs;
  if ([touches, identityLinks, merges, leads, mqls, openedDeals, outcomes, dealContacts].every((rows) => rows.length === 0)) return;
  if (lastChangePosition !== null) {
    await sql.query(`UPDATE ${sql.table('inputs_changed')} SET commit_position = greatest(commit_position, $1::numeric)`, [lastChangePosition]);
  }
  if (touches.length > 0) {
    // A touch is immutable once recorded: a second delivery of the same id changes nothing.
    await sql.query(
      `INSERT INTO ${sql.table('touches')}
         (touchpoint_id, person_key, account_id, occurred_at, commit_position, kind, channel, campaign_id, source, medium, content)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::numeric[], $6::text[], $7::text[],
                            $8::text[], $9::text[], $10::text[], $11::text[])
       ON CONFLICT (touchpoint_id) DO NOTHING`,
      [
        touches.map((row) => row.touchpointId),
        touches.map((row) => row.personKey),
        touches.map((row) => row.accountId),
        touches.map((row) => row.occurredAt),
        touches.map((row) => row.commitPosition),
        touches.map((row) => row.kind),
        touches.map((row) => row.channel),
        touches.map((row) => row.campaignId),
        touches.map((row) => row.source),
        touches.map((row) => row.medium),
        touches.map((row) => row.content),
      ],
    );
  }
  if (identityLinks.length > 0) {
    await sql.query(
      `INSERT INTO ${sql.table('person_keys')} (person_key, contact_id)
       SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`,
      [identityLinks.map((link) => link.personKey), identityLinks.map((link) => link.contactId)],
    );
  }
  if (leads.length > 0) {
    await sql.query(
      `INSERT INTO ${sql.table('leads')} (contact_id, lead_at)
       SELECT contact_id, min(lead_at) FROM unnest($1::text[], $2::timestamptz[]) AS l(contact_id, lead_at) GROUP BY contact_id
       ON CONFLICT (contact_id) DO UPDATE SET lead_at = least(${sql.table('leads')}.lead_at, excluded.lead_at)`,
      [leads.map((lead) => lead.contactId), leads.map((lead) => lead.leadAt)],
    );
  }
  if (mqls.length > 0) {
    await sql.query(
      `INSERT INTO ${sql.table('leads')} (contact_id, mql_at)
       SELECT contact_id, min(mql_at) FROM unnest($1::text[], $2::timestamptz[]) AS l(contact_id, mql_at) GROUP BY contact_id
       ON CONFLICT (contact_id) DO UPDATE SET mql_at = least(${sql.table('leads')}.mql_at, excluded.mql_at)`,
      [mqls.map((mql) => mql.contactId), mqls.map((mql) => mql.mqlAt)],
    );
  }
  // In order, so a merge of a contact that was itself a survivor passes on what it took over.
  for (const { survivorContactId, mergedContactId } of merges) {
    await sql.query(
      `INSERT INTO ${sql.table('person_keys')} (person_key, contact_id)
       SELECT person_key, $1 FROM ${sql.table('person_keys')} WHERE contact_id = $2
       UNION SELECT $2, $1
       ON CONFLICT DO NOTHING`,
      [survivorContactId, mergedContactId],
    );
    // The survivor was a lead (and an MQL) from the earlier of the two.
    await sql.query(
      `INSERT INTO ${sql.table('leads')} (contact_id, lead_at, mql_at)
       SELECT $1, lead_at, mql_at FROM ${sql.table('leads')} WHERE contact_id = $2
       ON CONFLICT (contact_id) DO UPDATE
          SET lead_at = least(${sql.table('leads')}.lead_at, excluded.lead_at), mql_at = least(${sql.table('leads')}.mql_at, excluded.mql_at)`,
      [survivorContactId, mergedContactId],
    );
    await sql.query(`UPDATE ${sql.table('leads')} SET merged_into = $1 WHERE contact_id = $2`, [survivorContactId, mergedContactId]);
  }
  // A deal won in the batch that opened it is added won: one row version instead of two, and
  // no second look-up by its key (a history imported deal by deal has most outcomes so).
  const outcomeOf = new Map(outcomes.map((outcome) => [outcome.opportunityId, outcome]));
  if (openedDeals.length > 0) {
    const outcomesOfOpened = openedDeals.map((deal) => outcomeOf.get(deal.opportunityId));
    const added = await sql.query<{ opportunity_id: string }>(
      `INSERT INTO ${sql.table('deals')} (opportunity_id, account_id, opened_at, amount_minor, currency, won_at, won_amount_minor, won_currency)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::bigint[], $5::text[], $6::timestamptz[], $7::bigint[], $8::text[])
       ON CONFLICT (opportunity_id) DO NOTHING
       RETURNING opportunity_id`,
      [
        openedDeals.map((deal) => deal.opportunityId),
        openedDeals.map((deal) => deal.accountId),
        openedDeals.map((deal) => deal.openedAt),
        openedDeals.map((deal) => deal.amountMinor),
        openedDeals.map((deal) => deal.currency),
        outcomesOfOpened.map((outcome) => outcome?.wonAt ?? null),
        outcomesOfOpened.map((outcome) => outcome?.wonAmountMinor ?? null),
        outcomesOfOpened.map((outcome) => outcome?.wonCurrency ?? null),
      ],
    );
    // A deal stored already (an opening delivered again) takes its outcome as any stored deal does.
    for (const { opportunity_id } of added) outcomeOf.delete(opportunity_id);
  }
  if (outcomeOf.size > 0) {
    const later = [...outcomeOf.values()];
    await sql.query(
      `UPDATE ${sql.table('deals')} d SET won_at = o.won_at, won_amount_minor = o.won_amount_minor, won_currency = o.won_currency
         FROM unnest($1::text[], $2::timestamptz[], $3::bigint[], $4::text[]) AS o(opportunity_id, won_at, won_amount_minor, won_currency)
        WHERE d.opportunity_id = o.opportunity_id`,
      [
        later.map((outcome) => outcome.opportunityId),
        later.map((outcome) => outcome.wonAt),
        later.map((outcome) => outcome.wonAmountMinor),
        later.map((outcome) => outcome.wonCurrency),
      ],
    );
  }
  if (dealContacts.length > 0) {
    await sql.query(
      `INSERT INTO ${sql.table('deal_contacts')} (opportunity_id, contact_id)
       SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`,
      [dealContacts.map((role) => role.opportunityId), dealContacts.map((role) => role.contactId)],
    );
  }
}

/**
 * The deals whose credits the batch can change: their own events; every deal a changed contact
 * has a role on; and every deal a new touch falls in the widest window of (from the default
 * lookback before opening to the win), through a contact's person keys or the deal's account.
 */
async function affectedDeals(inputs: AttributionInputs, sql: AttributionSql): Promise<string[]> {
  const { touches, changedDeals, changedContacts } = inputs;
  if (touches.length === 0 && changedDeals.size === 0 && changedContacts.size === 0) return [];
  const rows = await sql.query<{ opportunity_id: string }>(
    `WITH touch_account AS (SELECT * FROM unnest($4::text[], $5::timestamptz[]) AS t(account_id, occurred_at)),
     ${touchedContacts(sql, '$3', '$5')}
     SELECT opportunity_id FROM unnest($1::text[]) AS id(opportunity_id) JOIN ${sql.table('deals')} USING (opportunity_id)
     UNION
     SELECT dc.opportunity_id FROM unnest($2::text[]) AS id(contact_id) JOIN ${sql.table('deal_contacts')} dc USING (contact_id)
     UNION
     SELECT d.opportunity_id FROM touched_contact c
       JOIN ${sql.table('deal_contacts')} dc ON dc.contact_id = c.contact_id
       JOIN ${sql.table('deals')} d ON d.opportunity_id = dc.opportunity_id
      WHERE c.occurred_at BETWEEN d.opened_at - $6::float8 * interval '1 day' AND coalesce(d.won_at, d.opened_at)
     UNION
     SELECT d.opportunity_id FROM touch_account t
       JOIN ${sql.table('deals')} d ON d.account_id = t.account_id
      WHERE t.occurred_at BETWEEN d.opened_at - $6::float8 * interval '1 day' AND coalesce(d.won_at, d.opened_at)`,
    [
      [...changedDeals],
      [...changedContacts],
      touches.map((touch) => touch.personKey),
      touches.map((touch) => touch.accountId),
      touches.map((touch) => touch.occurredAt),
      DEFAULT_LOOKBACK_DAYS,
    ],
  );
  return rows.map((row) => row.opportunity_id).sort();
}

/** CTEs `touch` (person key, time) of the batch's touches and `touched_contact`: each touch under every contact its person key stands for. */
function touchedContacts(sql: AttributionSql, personKeys: string, occurredAts: string): string {
  return `touch AS (SELECT * FROM unnest(${personKeys}::text[], ${occurredAts}::timestamptz[]) AS t(person_key, occurred_at)),
     touched_contact AS (
       SELECT t.person_key AS contact_id, t.occurred_at FROM touch t
       UNION ALL
       SELECT pk.contact_id, t.occurred_at FROM touch t JOIN ${sql.table('person_keys')} pk ON pk.person_key = t.person_key
     )`;
}

/** Credits the deals afresh; `credit_totals` moves by the difference. */
async function recomputeCredits(opportunityIds: readonly string[], opened: ReadonlySet<string>, sql: WriterSql): Promise<void> {
  const journeys = await readDealJourneys(sql, opportunityIds);
  const credits = journeys.flatMap(storedDealCredits);
  const credited = opportunityIds.filter((id) => !opened.has(id));
  const removed = credited.length === 0 ? [] : await sql.query<RemovedCredit>(
    `DELETE FROM ${sql.table('credits')} c USING unnest($1::text[]) AS id(opportunity_id)
      WHERE c.opportunity_id = id.opportunity_id
     RETURNING c.opportunity_id, c.basis, c.model, c.touchpoint_id, ${utcText('c.anchor_at')} AS anchor_at, c.currency, c.share::text AS share,
               c.credit_minor::text AS credit_minor, c.channel, c.campaign_id, c.source, c.medium, c.content`,
    [credited],
  );
  await insertAllCredits(credits, sql);
  await addToTotals(creditTotalsDelta(removed.map(storedCredit), credits), sql);
}

async function insertAllCredits(credits: readonly CreditRow[], sql: WriterSql): Promise<void> {
  for (let start = 0; start < credits.length; start += INSERT_CHUNK) {
    await insertCredits(credits.slice(start, start + INSERT_CHUNK), sql);
  }
}

interface RemovedCredit {
  opportunity_id: string;
  basis: Basis;
  model: string;
  touchpoint_id: string;
  anchor_at: string;
  currency: string;
  share: string;
  credit_minor: string;
  channel: string | null;
  campaign_id: string | null;
  source: string | null;
  medium: string | null;
  content: string | null;
}

function storedCredit(row: RemovedCredit): StoredCredit {
  return {
    opportunityId: row.opportunity_id,
    basis: row.basis,
    model: row.model,
    touchpointId: row.touchpoint_id,
    anchorAt: row.anchor_at,
    currency: row.currency,
    share: row.share,
    creditMinor: Number(row.credit_minor),
    channel: row.channel,
    campaignId: row.campaign_id,
    source: row.source,
    medium: row.medium,
    content: row.content,
  };
}

/** Moves `credit_totals` by what a recomputation changed; a row taken back to nothing stays at zero. */
async function addToTotals(deltas: readonly CreditTotalsDelta[], sql: AttributionSql): Promise<void> {
  if (deltas.length === 0) return;
  const totals = sql.table('credit_totals');
  const keys = await insertTotals(deltas, sql, true);
  // A key a deal left keeps a row at zero, or not, depending on how the log was cut into
  // batches; dropping such rows keeps the table a function of the history alone.
  await sql.query(
    `DELETE FROM ${totals} t
      USING unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[], $6::text[]) AS d(model, currency, dimension, anchor_day, basis, key)
      WHERE (t.model, t.currency, t.dimension, t.anchor_day, t.basis, t.key) = (d.model, d.currency, d.dimension, d.anchor_day, d.basis, d.key)
        AND t.deals = 0 AND t.amount_minor = 0 AND t.conversions = 0`,
    keys,
  );
}

/** Writes totals rows; `add` adds them to rows already there. Returns the key columns as sent. */
async function insertTotals(rows: readonly CreditTotalsDelta[], sql: AttributionSql, add = false): Promise<unknown[][]> {
  const keys = (['model', 'currency', 'dimension', 'anchorDay', 'basis', 'key'] as const).map((column) => rows.map((row) => row[column]));
  await sql.query(
    `INSERT INTO ${sql.table('credit_totals')} AS t (model, currency, dimension, anchor_day, basis, key, conversions, amount_minor, deals)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[], $6::text[], $7::numeric[], $8::bigint[], $9::int[])
     ${
       add
         ? `ON CONFLICT (model, currency, dimension, anchor_day, basis, key) DO UPDATE
        SET conversions = t.conversions + excluded.conversions,
            amount_minor = t.amount_minor + excluded.amount_minor,
            deals = t.deals + excluded.deals`
         : ''
     }`,
    [...keys, rows.map((row) => row.conversions), rows.map((row) => row.amountMinor), rows.map((row) => row.deals)],
  );
  return keys;
}

/**
 * The leads whose lead or MQL touch the batch can change: those captured, qualified,
 * identified or merged in it, and those a new touch reaches at or before either moment.
 */
async function affectedLeads(inputs: AttributionInputs, sql: AttributionSql): Promise<string[]> {
  const { touches, changedContacts, mqls } = inputs;
  const contacts = [...changedContacts, ...mqls.map((mql) => mql.contactId)];
  if (touches.length === 0 && contacts.length === 0) return [];
  const rows = await sql.query<{ contact_id: string }>(
    `WITH ${touchedContacts(sql, '$2', '$3')}
     SELECT contact_id FROM unnest($1::text[]) AS id(contact_id) JOIN ${sql.table('leads')} USING (contact_id)
     UNION
     SELECT l.contact_id FROM touched_contact c JOIN ${sql.table('leads')} l ON l.contact_id = c.contact_id
      WHERE c.occurred_at BETWEEN l.lead_at - $4::float8 * interval '1 day' AND l.lead_at
         OR c.occurred_at BETWEEN l.mql_at - $4::float8 * interval '1 day' AND l.mql_at`,
    [contacts, touches.map((touch) => touch.personKey), touches.map((touch) => touch.occurredAt), DEFAULT_LOOKBACK_DAYS],
  );
  return rows.map((row) => row.contact_id).sort();
}

async function recomputeLeadTouches(contactIds: readonly string[], sql: AttributionSql): Promise<void> {
  if (contactIds.length === 0) return;
  // A moment not reached yet (NULL) matches no touch, which sets every column to NULL.
  const assign = (moment: 'lead' | 'mql') =>
    `(${milestoneTouchColumns.filter((column) => column.startsWith(`${moment}_`)).join(', ')}) =
       (${lastTouchAtOrBefore(sql, { contact: 'l.contact_id', moment: `l.${moment}_at`, select: touchColumns.map((column) => `t.${column}`).join(', '), lookbackDays: '$2' })})`;
  await sql.query(`UPDATE ${sql.table('leads')} l SET ${assign('lead')}, ${assign('mql')} FROM unnest($1::text[]) AS id(contact_id) WHERE l.contact_id = id.contact_id`, [
    contactIds,
    DEFAULT_LOOKBACK_DAYS,
  ]);
}

/** Credits of deals that have none stored (just deleted, or a finish's fresh table): added with COPY where the connection takes it. */
async function insertCredits(credits: readonly CreditRow[], sql: WriterSql): Promise<void> {
  await sql.insertRows('credits', [
    { name: 'opportunity_id', type: 'text', values: credits.map((row) => row.opportunityId) },
    { name: 'basis', type: 'text', values: credits.map((row) => row.basis) },
    { name: 'model', type: 'text', values: credits.map((row) => row.model) },
    { name: 'touchpoint_id', type: 'text', values: credits.map((row) => row.touchpointId) },
    { name: 'ordinal', type: 'int', values: credits.map((row) => row.ordinal) },
    { name: 'anchor_at', type: 'timestamptz', values: credits.map((row) => row.anchorAt) },
    { name: 'currency', type: 'text', values: credits.map((row) => row.currency) },
    { name: 'share', type: 'numeric', values: credits.map((row) => row.share) },
    { name: 'credit_minor', type: 'bigint', values: credits.map((row) => row.creditMinor) },
    { name: 'positions', type: 'text[]', values: credits.map((row) => row.positions) },
    { name: 'occurred_at', type: 'timestamptz', values: credits.map((row) => row.occurredAt) },
    { name: 'kind', type: 'text', values: credits.map((row) => row.kind) },
    { name: 'channel', type: 'text', values: credits.map((row) => row.channel) },
    { name: 'campaign_id', type: 'text', values: credits.map((row) => row.campaignId) },
    { name: 'source', type: 'text', values: credits.map((row) => row.source) },
    { name: 'medium', type: 'text', values: credits.map((row) => row.medium) },
    { name: 'content', type: 'text', values: credits.map((row) => row.content) },
  ]);
}
