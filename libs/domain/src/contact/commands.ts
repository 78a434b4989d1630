import type { UtcTimestamp } from '../shared/time';
import type { ContactDetails, LeadRejectionReason } from './events';
import type { EntryStage, LifecycleStage } from './lifecycle';

type DetailsInput = { readonly email: string } & { readonly [Field in Exclude<keyof ContactDetails, 'email'>]?: string | null };

export type CaptureLead = {
  type: 'CaptureLead';
  data: {
    contactId: string;
    details: DetailsInput;
    lifecycleStage: EntryStage;
    convertingTouch?: { touchpointId: string; source: string; campaignId?: string | null } | null;
    capturedAt: UtcTimestamp;
  };
};

/** Fields left out stay as they are; null clears an optional field. */
export type UpdateContactDetails = {
  type: 'UpdateContactDetails';
  data: {
    contactId: string;
    changes: { readonly [Field in keyof ContactDetails]?: ContactDetails[Field] };
    updatedAt: UtcTimestamp;
  };
};

export type LinkIdentity = {
  type: 'LinkIdentity';
  data: { contactId: string; anonymousId: string; linkedAt: UtcTimestamp };
};

export type ScoreLead = {
  type: 'ScoreLead';
  data: { contactId: string; score: number; scoredAt: UtcTimestamp };
};

export type ChangeLifecycleStage = {
  type: 'ChangeLifecycleStage';
  data: { contactId: string; to: LifecycleStage; reason?: string | null; changedAt: UtcTimestamp };
};

export type AcceptLead = {
  type: 'AcceptLead';
  data: { contactId: string; acceptedBy: string; acceptedAt: UtcTimestamp };
};

export type RejectLead = {
  type: 'RejectLead';
  data: { contactId: string; reason: LeadRejectionReason; note?: string | null; rejectedBy: string; rejectedAt: UtcTimestamp };
};

/** Sent to the survivor. */
export type MergeContact = {
  type: 'MergeContact';
  data: { contactId: string; mergedContactId: string; mergedAt: UtcTimestamp };
};

/** Sent to the contact that disappears into the survivor. */
export type MergeIntoContact = {
  type: 'MergeIntoContact';
  data: { contactId: string; survivorContactId: string; mergedAt: UtcTimestamp };
};

export type ContactCommand =
  | CaptureLead
  | UpdateContactDetails
  | LinkIdentity
  | ScoreLead
  | ChangeLifecycleStage
  | AcceptLead
  | RejectLead
  | MergeContact
  | MergeIntoContact;
