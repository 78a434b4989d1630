import type { UtcTimestamp } from '../shared/time';
import type { EntryStage, LifecycleStage } from './lifecycle';

/** What we know about the person; unknown parts are null. */
export type ContactDetails = {
  readonly email: string;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly jobTitle: string | null;
  readonly phone: string | null;
  readonly companyName: string | null;
};

/** The touch that turned the person into a lead: the lead-creation milestone of attribution. */
export type ConvertingTouch = {
  readonly touchpointId: string;
  readonly source: string;
  readonly campaignId: string | null;
};

/** Why sales turned a lead down: a closed list, so marketing can count the reasons. */
export const leadRejectionReasons = [
  'NOT_ICP',
  'NO_BUDGET',
  'NO_AUTHORITY',
  'NO_NEED',
  'BAD_TIMING',
  'DUPLICATE',
  'BAD_DATA',
  'COMPETITOR',
  'OTHER',
] as const;

export type LeadRejectionReason = (typeof leadRejectionReasons)[number];

export type LeadCaptured = {
  type: 'LeadCaptured';
  data: {
    contactId: string;
    details: ContactDetails;
    lifecycleStage: EntryStage;
    convertingTouch: ConvertingTouch | null;
    capturedAt: UtcTimestamp;
  };
};

/** Carries only the fields that changed, with their new values. */
export type ContactUpdated = {
  type: 'ContactUpdated';
  data: {
    contactId: string;
    changes: Partial<ContactDetails>;
    updatedAt: UtcTimestamp;
  };
};

export type IdentityLinked = {
  type: 'IdentityLinked';
  data: {
    contactId: string;
    anonymousId: string;
    linkedAt: UtcTimestamp;
  };
};

export type LeadScored = {
  type: 'LeadScored';
  data: {
    contactId: string;
    score: number;
    previousScore: number | null;
    scoredAt: UtcTimestamp;
  };
};

export type LifecycleStageChanged = {
  type: 'LifecycleStageChanged';
  data: {
    contactId: string;
    from: LifecycleStage;
    to: LifecycleStage;
    /** Required when moving back (recycle, win-back), null when moving forward. */
    reason: string | null;
    changedAt: UtcTimestamp;
  };
};

export type LeadAcceptedBySales = {
  type: 'LeadAcceptedBySales';
  data: {
    contactId: string;
    acceptedBy: string;
    acceptedAt: UtcTimestamp;
  };
};

export type LeadRejectedBySales = {
  type: 'LeadRejectedBySales';
  data: {
    contactId: string;
    reason: LeadRejectionReason;
    note: string | null;
    rejectedBy: string;
    rejectedAt: UtcTimestamp;
  };
};

/** Recorded on the surviving contact: it now stands for the merged one too. */
export type ContactMerged = {
  type: 'ContactMerged';
  data: {
    contactId: string;
    mergedContactId: string;
    mergedAt: UtcTimestamp;
  };
};

/** Recorded on the merged contact: from here on it only points at the survivor. */
export type ContactMergedInto = {
  type: 'ContactMergedInto';
  data: {
    contactId: string;
    survivorContactId: string;
    mergedAt: UtcTimestamp;
  };
};

export type ContactEvent =
  | LeadCaptured
  | ContactUpdated
  | IdentityLinked
  | LeadScored
  | LifecycleStageChanged
  | LeadAcceptedBySales
  | LeadRejectedBySales
  | ContactMerged
  | ContactMergedInto;

export const contactEventSchemaVersions = {
  LeadCaptured: 1,
  ContactUpdated: 1,
  IdentityLinked: 1,
  LeadScored: 1,
  LifecycleStageChanged: 1,
  LeadAcceptedBySales: 1,
  LeadRejectedBySales: 1,
  ContactMerged: 1,
  ContactMergedInto: 1,
} as const satisfies Record<ContactEvent['type'], number>;
