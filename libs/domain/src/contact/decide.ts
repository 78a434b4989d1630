import { assertNever, type Decider } from '../shared/decider';
import { invalidField } from '../shared/domain-error';
import { anonymousIdForEmail } from '../shared/identity';
import { utcTimestamp } from '../shared/time';
import {
  emailAddress,
  integerInRange,
  oneOf,
  optionalId,
  optionalText,
  requiredId,
  sourceSystem,
  uuid,
} from '../shared/validation';
import type {
  AcceptLead,
  CaptureLead,
  ChangeLifecycleStage,
  ContactCommand,
  LinkIdentity,
  MergeContact,
  MergeIntoContact,
  RejectLead,
  ScoreLead,
  UpdateContactDetails,
} from './commands';
import {
  contactAlreadyExists,
  contactMerged,
  contactNotFound,
  contactSelfMerge,
  invalidLifecycleTransition,
  leadNotHandedToSales,
} from './errors';
import { leadRejectionReasons, type ContactDetails, type ContactEvent, type IdentityLinked } from './events';
import { entryStages, lifecycleMove, lifecycleStages, type LifecycleStage } from './lifecycle';
import { evolve, initial, type ContactState } from './state';
import { isAnonymousPersonKey } from '../stream-names';

type ActiveContact = Extract<ContactState, { status: 'active' }>;

export const LEAD_SCORE_MAX = 100;

const detailLengthLimits = { firstName: 100, lastName: 100, jobTitle: 200, phone: 50, companyName: 200 } as const;
const detailFields = ['email', 'firstName', 'lastName', 'jobTitle', 'phone', 'companyName'] as const;

function detailValue(field: keyof ContactDetails, value: unknown, at: string): string | null {
  return field === 'email' ? emailAddress(value, at) : optionalText(value, at, detailLengthLimits[field]);
}

function activeContact(state: ContactState, contactId: string): ActiveContact {
  switch (state.status) {
    case 'unknown':
      throw contactNotFound(contactId);
    case 'merged':
      throw contactMerged(state.contactId, state.survivorContactId);
    case 'active':
      return state;
    default:
      return assertNever(state);
  }
}

function captureLead({ data }: CaptureLead, state: ContactState): ContactEvent[] {
  if (state.status !== 'unknown') {
    throw contactAlreadyExists(data.contactId);
  }
  const contactId = contactIdOf(data.contactId);
  const input = data.details;
  const details: ContactDetails = {
    email: emailAddress(input?.email, 'details.email'),
    firstName: detailValue('firstName', input?.firstName, 'details.firstName'),
    lastName: detailValue('lastName', input?.lastName, 'details.lastName'),
    jobTitle: detailValue('jobTitle', input?.jobTitle, 'details.jobTitle'),
    phone: detailValue('phone', input?.phone, 'details.phone'),
    companyName: detailValue('companyName', input?.companyName, 'details.companyName'),
  };
  const capturedAt = utcTimestamp(data.capturedAt, 'capturedAt');
  const touch = data.convertingTouch;
  return [
    {
      type: 'LeadCaptured',
      data: {
        contactId,
        details,
        lifecycleStage: oneOf(data.lifecycleStage, entryStages, 'lifecycleStage'),
        convertingTouch: touch
          ? {
              touchpointId: uuid(touch.touchpointId, 'convertingTouch.touchpointId'),
              source: sourceSystem(touch.source, 'convertingTouch.source'),
              campaignId: optionalId(touch.campaignId, 'convertingTouch.campaignId'),
            }
          : null,
        capturedAt,
      },
    },
    emailIdentityLinked(contactId, details.email, capturedAt),
  ];
}

/**
 * Touches known only by email live in the journey of the address's derived
 * anonymous id; linking it whenever a contact gets an address stitches those
 * touches to the contact without any lookup at ingestion time.
 */
function emailIdentityLinked(contactId: string, email: string, linkedAt: string): IdentityLinked {
  return { type: 'IdentityLinked', data: { contactId, anonymousId: anonymousIdForEmail(email), linkedAt } };
}

function contactIdOf(value: unknown): string {
  const contactId = requiredId(value, 'contactId');
  if (isAnonymousPersonKey(contactId)) {
    throw invalidField('INVALID_ID', 'contactId', 'must not start with "anon-", which marks anonymous journeys');
  }
  return contactId;
}

function updateContactDetails({ data }: UpdateContactDetails, contact: ActiveContact): ContactEvent[] {
  const changes: Partial<Record<keyof ContactDetails, string | null>> = {};
  for (const field of detailFields) {
    if (data.changes?.[field] === undefined) {
      continue;
    }
    const value = detailValue(field, data.changes[field], `changes.${field}`);
    if (value !== contact.details[field]) {
      changes[field] = value;
    }
  }
  const updatedAt = utcTimestamp(data.updatedAt, 'updatedAt');
  if (Object.keys(changes).length === 0) {
    return [];
  }
  const { contactId } = contact;
  const updated: ContactEvent = { type: 'ContactUpdated', data: { contactId, changes: changes as Partial<ContactDetails>, updatedAt } };
  const newEmail = changes.email;
  const linkNeeded = typeof newEmail === 'string' && !contact.anonymousIds.has(anonymousIdForEmail(newEmail));
  return linkNeeded ? [updated, emailIdentityLinked(contactId, newEmail, updatedAt)] : [updated];
}

function linkIdentity({ data }: LinkIdentity, contact: ActiveContact): ContactEvent[] {
  const anonymousId = requiredId(data.anonymousId, 'anonymousId');
  const linkedAt = utcTimestamp(data.linkedAt, 'linkedAt');
  if (contact.anonymousIds.has(anonymousId)) {
    return [];
  }
  return [{ type: 'IdentityLinked', data: { contactId: contact.contactId, anonymousId, linkedAt } }];
}

function scoreLead({ data }: ScoreLead, contact: ActiveContact): ContactEvent[] {
  const score = integerInRange(data.score, 'score', 0, LEAD_SCORE_MAX);
  const scoredAt = utcTimestamp(data.scoredAt, 'scoredAt');
  if (score === contact.score) {
    return [];
  }
  return [{ type: 'LeadScored', data: { contactId: contact.contactId, score, previousScore: contact.score, scoredAt } }];
}

function changeLifecycleStage({ data }: ChangeLifecycleStage, contact: ActiveContact): ContactEvent[] {
  const to = oneOf(data.to, lifecycleStages, 'to');
  const reason = optionalText(data.reason, 'reason', 1000);
  const changedAt = utcTimestamp(data.changedAt, 'changedAt');
  if (to === contact.stage) {
    return [];
  }
  const move = lifecycleMove(contact.stage, to);
  if (!move.allowed) {
    throw invalidLifecycleTransition(contact.stage, to, move.why);
  }
  if (move.reasonRequired && reason === null) {
    throw invalidField('REQUIRED_FIELD_MISSING', 'reason', `is required to move a contact back from ${contact.stage} to ${to}`);
  }
  return [{ type: 'LifecycleStageChanged', data: { contactId: contact.contactId, from: contact.stage, to, reason, changedAt } }];
}

const handedToSales: readonly LifecycleStage[] = ['mql', 'sql'];

function acceptLead({ data }: AcceptLead, contact: ActiveContact): ContactEvent[] {
  if (!handedToSales.includes(contact.stage)) {
    throw leadNotHandedToSales(contact.contactId, contact.stage);
  }
  const acceptedBy = requiredId(data.acceptedBy, 'acceptedBy');
  const acceptedAt = utcTimestamp(data.acceptedAt, 'acceptedAt');
  if (contact.salesVerdict?.verdict === 'accepted') {
    return [];
  }
  return [{ type: 'LeadAcceptedBySales', data: { contactId: contact.contactId, acceptedBy, acceptedAt } }];
}

function rejectLead({ data }: RejectLead, contact: ActiveContact): ContactEvent[] {
  if (!handedToSales.includes(contact.stage)) {
    throw leadNotHandedToSales(contact.contactId, contact.stage);
  }
  const reason = oneOf(data.reason, leadRejectionReasons, 'reason');
  const note = optionalText(data.note, 'note', 2000);
  if (reason === 'OTHER' && note === null) {
    throw invalidField('REQUIRED_FIELD_MISSING', 'note', 'is required when the reason is OTHER');
  }
  const rejectedBy = requiredId(data.rejectedBy, 'rejectedBy');
  const rejectedAt = utcTimestamp(data.rejectedAt, 'rejectedAt');
  const verdict = contact.salesVerdict;
  if (verdict?.verdict === 'rejected' && verdict.reason === reason && verdict.note === note) {
    return [];
  }
  return [{ type: 'LeadRejectedBySales', data: { contactId: contact.contactId, reason, note, rejectedBy, rejectedAt } }];
}

function mergeContact({ data }: MergeContact, contact: ActiveContact): ContactEvent[] {
  const mergedContactId = requiredId(data.mergedContactId, 'mergedContactId');
  const mergedAt = utcTimestamp(data.mergedAt, 'mergedAt');
  if (mergedContactId === contact.contactId) {
    throw contactSelfMerge(contact.contactId);
  }
  if (contact.mergedContactIds.has(mergedContactId)) {
    return [];
  }
  return [{ type: 'ContactMerged', data: { contactId: contact.contactId, mergedContactId, mergedAt } }];
}

/**
 * A merge spans two streams and the event store has no cross-stream
 * transaction, so it is two commands: this one first, which closes the merged
 * contact to every later command, then MergeContact on the survivor. Both
 * are idempotent, so a merge interrupted between the two is finished by
 * sending both again.
 */
function mergeIntoContact({ data }: MergeIntoContact, state: ContactState): ContactEvent[] {
  const survivorContactId = requiredId(data.survivorContactId, 'survivorContactId');
  const mergedAt = utcTimestamp(data.mergedAt, 'mergedAt');
  if (state.status === 'merged' && state.survivorContactId === survivorContactId) {
    return [];
  }
  const contact = activeContact(state, data.contactId);
  if (survivorContactId === contact.contactId) {
    throw contactSelfMerge(contact.contactId);
  }
  return [{ type: 'ContactMergedInto', data: { contactId: contact.contactId, survivorContactId, mergedAt } }];
}

export function decide(command: ContactCommand, state: ContactState): ContactEvent[] {
  switch (command.type) {
    case 'CaptureLead':
      return captureLead(command, state);
    case 'MergeIntoContact':
      return mergeIntoContact(command, state);
    case 'UpdateContactDetails':
      return updateContactDetails(command, activeContact(state, command.data.contactId));
    case 'LinkIdentity':
      return linkIdentity(command, activeContact(state, command.data.contactId));
    case 'ScoreLead':
      return scoreLead(command, activeContact(state, command.data.contactId));
    case 'ChangeLifecycleStage':
      return changeLifecycleStage(command, activeContact(state, command.data.contactId));
    case 'AcceptLead':
      return acceptLead(command, activeContact(state, command.data.contactId));
    case 'RejectLead':
      return rejectLead(command, activeContact(state, command.data.contactId));
    case 'MergeContact':
      return mergeContact(command, activeContact(state, command.data.contactId));
    default:
      return assertNever(command);
  }
}

export const contactDecider: Decider<ContactCommand, ContactEvent, ContactState> = { initialState: initial, evolve, decide };
