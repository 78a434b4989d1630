import type { Money } from '../shared/money';
import type { CalendarDate, UtcTimestamp } from '../shared/time';

/** The part a person plays in the buying decision. */
export const buyingRoles = [
  'DECISION_MAKER',
  'ECONOMIC_BUYER',
  'CHAMPION',
  'INFLUENCER',
  'TECHNICAL_BUYER',
  'EVALUATOR',
  'EXECUTIVE_SPONSOR',
  'BUSINESS_USER',
  'OTHER',
] as const;

export type BuyingRole = (typeof buyingRoles)[number];

export type ContactRole = { readonly contactId: string; readonly role: BuyingRole };

/** Why a deal was lost: a closed list, so win/loss analysis can count them. */
export const lossReasons = [
  'PRICE',
  'COMPETITOR',
  'NO_BUDGET',
  'NO_DECISION',
  'BAD_TIMING',
  'MISSING_FEATURES',
  'NOT_A_FIT',
  'WENT_DARK',
  'OTHER',
] as const;

export type LossReason = (typeof lossReasons)[number];

export type OpportunityOpened = {
  type: 'OpportunityOpened';
  data: {
    opportunityId: string;
    name: string;
    accountId: string;
    contactRoles: readonly ContactRole[];
    pipelineId: string;
    /** The pipeline revision whose stages the opening was checked against. */
    pipelineRevision: number;
    stageId: string;
    amount: Money;
    expectedCloseDate: CalendarDate;
    ownerId: string;
    openedAt: UtcTimestamp;
  };
};

export type StageChanged = {
  type: 'StageChanged';
  data: {
    opportunityId: string;
    fromStageId: string;
    toStageId: string;
    pipelineRevision: number;
    changedAt: UtcTimestamp;
  };
};

/** `from` and `to` differ in currency only after an explicit ChangeCurrency. */
export type AmountChanged = {
  type: 'AmountChanged';
  data: { opportunityId: string; from: Money; to: Money; changedAt: UtcTimestamp };
};

export type CloseDateChanged = {
  type: 'CloseDateChanged';
  data: { opportunityId: string; from: CalendarDate; to: CalendarDate; changedAt: UtcTimestamp };
};

export type ContactRoleAdded = {
  type: 'ContactRoleAdded';
  data: { opportunityId: string; contactId: string; role: BuyingRole; addedAt: UtcTimestamp };
};

/** `stageId` is the last open stage the deal was in: stage conversion reports need it. */
export type ClosedWon = {
  type: 'ClosedWon';
  data: { opportunityId: string; wonAmount: Money; stageId: string; closedAt: UtcTimestamp };
};

export type ClosedLost = {
  type: 'ClosedLost';
  data: { opportunityId: string; reason: LossReason; note: string | null; stageId: string; closedAt: UtcTimestamp };
};

export type Reopened = {
  type: 'Reopened';
  data: {
    opportunityId: string;
    previousOutcome: 'won' | 'lost';
    stageId: string;
    pipelineRevision: number;
    reason: string | null;
    reopenedAt: UtcTimestamp;
  };
};

export type OpportunityEvent =
  | OpportunityOpened
  | StageChanged
  | AmountChanged
  | CloseDateChanged
  | ContactRoleAdded
  | ClosedWon
  | ClosedLost
  | Reopened;

export const opportunityEventSchemaVersions = {
  OpportunityOpened: 1,
  StageChanged: 1,
  AmountChanged: 1,
  CloseDateChanged: 1,
  ContactRoleAdded: 1,
  ClosedWon: 1,
  ClosedLost: 1,
  Reopened: 1,
} as const satisfies Record<OpportunityEvent['type'], number>;
