import type { LifecycleStage } from '@revops/domain';
import { IDENTIFIER, type Projection, type ProjectionSchema, type ProjectionTransaction } from '../runner/projection';
import { contactChanges, contactIdsOf, type ContactChanges, type ContactRow, type SalesVerdict } from './contacts.projection';
import { utcText } from '../runner/utc-text';

export const CONTACTS_PROJECTION = 'contacts';


/**
 * `contacts`, `contact_identity_links`, `contact_lifecycle_stages`, `lead_decisions` and
 * `contact_accounts`. Account streams are read for their contact associations, which give a
 * contact its account.
 */
export const contactsProjection: Projection = {
  name: CONTACTS_PROJECTION,
  // v3 compares identifiers by their bytes (IDENTIFIER).
  version: 3,
  consumes: { streamNamePrefixes: ['contact-', 'account-'] },
  createTables: (schema: ProjectionSchema) => [
    `CREATE TABLE ${schema.table('contacts')} (
       contact_id ${IDENTIFIER} PRIMARY KEY,
       email text NOT NULL,
       first_name text,
       last_name text,
       job_title text,
       phone text,
       company_name text,
       lifecycle_stage text NOT NULL,
       score integer,
       sales_verdict text CHECK (sales_verdict IN ('accepted', 'rejected')),
       sales_verdict_at timestamptz,
       converting_touchpoint_id ${IDENTIFIER},
       converting_source text,
       converting_campaign_id ${IDENTIFIER},
       -- Derived from contact_accounts after every batch: an association may be recorded
       -- before or after the contact is captured.
       account_id ${IDENTIFIER},
       merged_into_contact_id ${IDENTIFIER},
       captured_at timestamptz NOT NULL,
       updated_at timestamptz NOT NULL,
       stream_revision bigint NOT NULL
     )`,
    `CREATE INDEX ON ${schema.table('contacts')} (email)`,
    `CREATE INDEX ON ${schema.table('contacts')} (account_id) WHERE account_id IS NOT NULL`,
    `CREATE TABLE ${schema.table('contact_identity_links')} (
       anonymous_id ${IDENTIFIER} NOT NULL,
       contact_id ${IDENTIFIER} NOT NULL,
       linked_at timestamptz NOT NULL,
       -- 'identify' when recorded on the contact, 'merge' when taken over from a merged contact.
       linked_by text NOT NULL CHECK (linked_by IN ('identify', 'merge')),
       PRIMARY KEY (anonymous_id, contact_id)
     )`,
    `CREATE INDEX ON ${schema.table('contact_identity_links')} (contact_id)`,
    `CREATE TABLE ${schema.table('contact_lifecycle_stages')} (
       contact_id ${IDENTIFIER} NOT NULL,
       stage text NOT NULL,
       first_entered_at timestamptz NOT NULL,
       last_entered_at timestamptz NOT NULL,
       entries integer NOT NULL,
       PRIMARY KEY (contact_id, stage)
     )`,
    `CREATE INDEX ON ${schema.table('contact_lifecycle_stages')} (stage, first_entered_at)`,
    `CREATE TABLE ${schema.table('lead_decisions')} (
       event_id ${IDENTIFIER} PRIMARY KEY,
       contact_id ${IDENTIFIER} NOT NULL,
       decision text NOT NULL CHECK (decision IN ('accepted', 'rejected')),
       reason text,
       note text,
       decided_by text NOT NULL,
       decided_at timestamptz NOT NULL,
       commit_position numeric(20,0) NOT NULL,
       lifecycle_stage text NOT NULL
     )`,
    `CREATE INDEX ON ${schema.table('lead_decisions')} (contact_id, decided_at)`,
    `CREATE INDEX ON ${schema.table('lead_decisions')} (decided_at)`,
    `CREATE TABLE ${schema.table('contact_accounts')} (
       contact_id ${IDENTIFIER} NOT NULL,
       account_id ${IDENTIFIER} NOT NULL,
       matched_by text NOT NULL,
       associated_at timestamptz NOT NULL,
       commit_position numeric(20,0) NOT NULL,
       PRIMARY KEY (contact_id, account_id)
     )`,
    `CREATE INDEX ON ${schema.table('contact_accounts')} (account_id)`,
  ],
  apply: async (batch, tx) => {
    await writeContacts(contactChanges(await readContacts(contactIdsOf(batch), tx), batch), tx);
  },
};

/** What every reader of `contacts` selects of a contact's state, as `StoredContactState`: times as UTC ISO-8601. */
export const CONTACT_STATE_COLUMNS = `contact_id, email, first_name, last_name, job_title, phone, company_name, lifecycle_stage, score,
  sales_verdict, ${utcText('sales_verdict_at')} AS sales_verdict_at, merged_into_contact_id,
  ${utcText('captured_at')} AS captured_at, ${utcText('updated_at')} AS updated_at`;

/** A row of `CONTACT_STATE_COLUMNS`. */
export interface StoredContactState {
  contact_id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  job_title: string | null;
  phone: string | null;
  company_name: string | null;
  lifecycle_stage: LifecycleStage;
  score: number | null;
  sales_verdict: SalesVerdict | null;
  sales_verdict_at: string | null;
  merged_into_contact_id: string | null;
  captured_at: string;
  updated_at: string;
}

/** The state and what only the projection reads: how the contact converted, and its stream's revision. */
interface StoredContact extends StoredContactState {
  converting_touchpoint_id: string | null;
  converting_source: string | null;
  converting_campaign_id: string | null;
  stream_revision: string;
}

/** The stored rows of the batch's contacts, in one statement. */
export async function readContacts(ids: readonly string[], tx: ProjectionTransaction): Promise<Map<string, ContactRow>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.query<StoredContact>(
    `SELECT ${CONTACT_STATE_COLUMNS}, converting_touchpoint_id, converting_source, converting_campaign_id,
            stream_revision::text AS stream_revision
       FROM ${tx.schema.table('contacts')}
      WHERE contact_id = ANY($1::text[])`,
    [ids],
  );
  return new Map(
    rows.map((row) => [
      row.contact_id,
      {
        contactId: row.contact_id,
        email: row.email,
        firstName: row.first_name,
        lastName: row.last_name,
        jobTitle: row.job_title,
        phone: row.phone,
        companyName: row.company_name,
        lifecycleStage: row.lifecycle_stage,
        score: row.score === null ? null : Number(row.score),
        salesVerdict: row.sales_verdict,
        salesVerdictAt: row.sales_verdict_at,
        convertingTouchpointId: row.converting_touchpoint_id,
        convertingSource: row.converting_source,
        convertingCampaignId: row.converting_campaign_id,
        mergedIntoContactId: row.merged_into_contact_id,
        capturedAt: row.captured_at,
        updatedAt: row.updated_at,
        streamRevision: BigInt(row.stream_revision),
      },
    ]),
  );
}

/** One statement per table, then the account of every contact the batch may have changed. */
export async function writeContacts(changes: ContactChanges, tx: ProjectionTransaction): Promise<void> {
  const table = (name: string) => tx.schema.table(name);
  const { contacts, identityLinks, merges, lifecycleStages, decisions, accountAssociations } = changes;

  if (contacts.length > 0) {
    await tx.query(
      `INSERT INTO ${table('contacts')}
         (contact_id, email, first_name, last_name, job_title, phone, company_name, lifecycle_stage, score, sales_verdict,
          sales_verdict_at, converting_touchpoint_id, converting_source, converting_campaign_id, merged_into_contact_id,
          captured_at, updated_at, stream_revision)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                            $9::int[], $10::text[], $11::timestamptz[], $12::text[], $13::text[], $14::text[], $15::text[],
                            $16::timestamptz[], $17::timestamptz[], $18::bigint[])
       ON CONFLICT (contact_id) DO UPDATE
          SET email = excluded.email, first_name = excluded.first_name, last_name = excluded.last_name,
              job_title = excluded.job_title, phone = excluded.phone, company_name = excluded.company_name,
              lifecycle_stage = excluded.lifecycle_stage, score = excluded.score, sales_verdict = excluded.sales_verdict,
              sales_verdict_at = excluded.sales_verdict_at, converting_touchpoint_id = excluded.converting_touchpoint_id,
              converting_source = excluded.converting_source, converting_campaign_id = excluded.converting_campaign_id,
              merged_into_contact_id = excluded.merged_into_contact_id, captured_at = excluded.captured_at,
              updated_at = excluded.updated_at, stream_revision = excluded.stream_revision`,
      [
        contacts.map((row) => row.contactId),
        contacts.map((row) => row.email),
        contacts.map((row) => row.firstName),
        contacts.map((row) => row.lastName),
        contacts.map((row) => row.jobTitle),
        contacts.map((row) => row.phone),
        contacts.map((row) => row.companyName),
        contacts.map((row) => row.lifecycleStage),
        contacts.map((row) => row.score),
        contacts.map((row) => row.salesVerdict),
        contacts.map((row) => row.salesVerdictAt),
        contacts.map((row) => row.convertingTouchpointId),
        contacts.map((row) => row.convertingSource),
        contacts.map((row) => row.convertingCampaignId),
        contacts.map((row) => row.mergedIntoContactId),
        contacts.map((row) => row.capturedAt),
        contacts.map((row) => row.updatedAt),
        contacts.map((row) => row.streamRevision.toString()),
      ],
    );
  }

  if (identityLinks.length > 0) {
    await tx.query(
      `INSERT INTO ${table('contact_identity_links')} (anonymous_id, contact_id, linked_at, linked_by)
       SELECT anonymous_id, contact_id, linked_at, 'identify'
         FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS t(anonymous_id, contact_id, linked_at)
       ON CONFLICT (anonymous_id, contact_id) DO NOTHING`,
      [identityLinks.map((row) => row.anonymousId), identityLinks.map((row) => row.contactId), identityLinks.map((row) => row.linkedAt)],
    );
  }

  if (merges.length > 0) {
    // The merged contact's anonymous history is the survivor's from the merge on, so journeys
    // stitched through the survivor's links include it. Its links were all recorded before the
    // merge (a merged contact refuses commands), so they are stored by now.
    await tx.query(
      `INSERT INTO ${table('contact_identity_links')} (anonymous_id, contact_id, linked_at, linked_by)
       SELECT l.anonymous_id, m.survivor, m.merged_at, 'merge'
         FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS m(survivor, merged, merged_at)
         JOIN ${table('contact_identity_links')} l ON l.contact_id = m.merged
       ON CONFLICT (anonymous_id, contact_id) DO NOTHING`,
      [merges.map((row) => row.survivorContactId), merges.map((row) => row.mergedContactId), merges.map((row) => row.mergedAt)],
    );
  }

  if (lifecycleStages.length > 0) {
    await tx.query(
      `INSERT INTO ${table('contact_lifecycle_stages')} AS s (contact_id, stage, first_entered_at, last_entered_at, entries)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::int[])
       ON CONFLICT (contact_id, stage) DO UPDATE
          SET first_entered_at = LEAST(s.first_entered_at, excluded.first_entered_at),
              last_entered_at = GREATEST(s.last_entered_at, excluded.last_entered_at),
              entries = s.entries + excluded.entries`,
      [
        lifecycleStages.map((row) => row.contactId),
        lifecycleStages.map((row) => row.stage),
        lifecycleStages.map((row) => row.firstEnteredAt),
        lifecycleStages.map((row) => row.lastEnteredAt),
        lifecycleStages.map((row) => row.entries),
      ],
    );
  }

  if (decisions.length > 0) {
    await tx.query(
      `INSERT INTO ${table('lead_decisions')}
         (event_id, contact_id, decision, reason, note, decided_by, decided_at, commit_position, lifecycle_stage)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::numeric[], $9::text[])`,
      [
        decisions.map((row) => row.eventId),
        decisions.map((row) => row.contactId),
        decisions.map((row) => row.decision),
        decisions.map((row) => row.reason),
        decisions.map((row) => row.note),
        decisions.map((row) => row.decidedBy),
        decisions.map((row) => row.decidedAt),
        decisions.map((row) => row.commitPosition),
        decisions.map((row) => row.lifecycleStage),
      ],
    );
  }

  if (accountAssociations.length > 0) {
    await tx.query(
      `INSERT INTO ${table('contact_accounts')} (contact_id, account_id, matched_by, associated_at, commit_position)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::numeric[])
       ON CONFLICT (contact_id, account_id) DO NOTHING`,
      [
        accountAssociations.map((row) => row.contactId),
        accountAssociations.map((row) => row.accountId),
        accountAssociations.map((row) => row.matchedBy),
        accountAssociations.map((row) => row.associatedAt),
        accountAssociations.map((row) => row.commitPosition),
      ],
    );
  }

  const contactsToResolve = [...new Set([...contacts.map((row) => row.contactId), ...accountAssociations.map((row) => row.contactId)])];
  if (contactsToResolve.length > 0) {
    // A contact associated with several companies belongs to the latest one in business time.
    await tx.query(
      `UPDATE ${table('contacts')} c SET account_id = latest.account_id
         FROM (SELECT DISTINCT ON (contact_id) contact_id, account_id
                 FROM ${table('contact_accounts')}
                WHERE contact_id = ANY($1::text[])
                ORDER BY contact_id, associated_at DESC, commit_position DESC) latest
        WHERE c.contact_id = latest.contact_id AND c.account_id IS DISTINCT FROM latest.account_id`,
      [contactsToResolve],
    );
  }
}
