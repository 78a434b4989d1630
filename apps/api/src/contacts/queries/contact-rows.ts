import type { LeadRejectionReason, LifecycleStage } from '@revops/domain';
import type { ReadModelView } from '../../common/read-side/read-models';
import { CONTACT_STATE_COLUMNS, utcText, type StoredContactState } from '@revops/projections';
import type { Contact, IdentityLink, IdentityLinkSource, LeadDecision, LifecycleStageTimes, SalesVerdict } from '../graphql/contact.types';

/** Contacts by id, or the people an account has now (`contacts.account_id`), in one statement. */
export async function readContacts(view: ReadModelView, by: 'contact_id' | 'account_id', ids: readonly string[]): Promise<Contact[]> {
  const rows = await view.query<StoredContactState & { account_id: string | null }>(
    `SELECT ${CONTACT_STATE_COLUMNS}, account_id
       FROM ${view.table('contacts', 'contacts')} c
      WHERE c.${by} = ANY($1::text[])
      ORDER BY c.captured_at, c.contact_id`,
    [ids],
  );
  return rows.map((row) => ({
    id: row.contact_id,
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
    mergedIntoContactId: row.merged_into_contact_id,
    accountId: row.account_id,
    capturedAt: row.captured_at,
    updatedAt: row.updated_at,
  }));
}

export type Owned<Row> = Row & { readonly contactId: string };

/** Lifecycle times per stage of these contacts, in the order they were first entered. */
export async function readLifecycleStages(view: ReadModelView, contactIds: readonly string[]): Promise<Owned<LifecycleStageTimes>[]> {
  const rows = await view.query<{ contact_id: string; stage: LifecycleStage; first_entered_at: string; last_entered_at: string; entries: number }>(
    `SELECT contact_id, stage, ${utcText('first_entered_at')} AS first_entered_at, ${utcText('last_entered_at')} AS last_entered_at, entries
       FROM ${view.table('contacts', 'contact_lifecycle_stages')} s
      WHERE s.contact_id = ANY($1::text[])
      ORDER BY s.contact_id, s.first_entered_at, s.stage`,
    [contactIds],
  );
  return rows.map((row) => ({
    contactId: row.contact_id,
    stage: row.stage,
    firstEnteredAt: row.first_entered_at,
    lastEnteredAt: row.last_entered_at,
    entries: Number(row.entries),
  }));
}

/** Every verdict of sales on these contacts, oldest first. */
export async function readLeadDecisions(view: ReadModelView, contactIds: readonly string[]): Promise<Owned<LeadDecision>[]> {
  const rows = await view.query<{
    contact_id: string;
    decision: SalesVerdict;
    reason: LeadRejectionReason | null;
    note: string | null;
    decided_by: string;
    decided_at: string;
    lifecycle_stage: LifecycleStage;
  }>(
    `SELECT contact_id, decision, reason, note, decided_by, ${utcText('decided_at')} AS decided_at, lifecycle_stage
       FROM ${view.table('contacts', 'lead_decisions')} d
      WHERE d.contact_id = ANY($1::text[])
      ORDER BY d.contact_id, d.decided_at, d.commit_position`,
    [contactIds],
  );
  return rows.map((row) => ({
    contactId: row.contact_id,
    decision: row.decision,
    reason: row.reason,
    note: row.note,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    lifecycleStage: row.lifecycle_stage,
  }));
}

/** The anonymous ids that stand for these contacts, oldest link first. */
export async function readIdentityLinks(view: ReadModelView, contactIds: readonly string[]): Promise<Owned<IdentityLink>[]> {
  const rows = await view.query<{ contact_id: string; anonymous_id: string; linked_at: string; linked_by: IdentityLinkSource }>(
    `SELECT contact_id, anonymous_id, ${utcText('linked_at')} AS linked_at, linked_by
       FROM ${view.table('contacts', 'contact_identity_links')} l
      WHERE l.contact_id = ANY($1::text[])
      ORDER BY l.contact_id, l.linked_at, l.anonymous_id`,
    [contactIds],
  );
  return rows.map((row) => ({ contactId: row.contact_id, anonymousId: row.anonymous_id, linkedAt: row.linked_at, linkedBy: row.linked_by }));
}
