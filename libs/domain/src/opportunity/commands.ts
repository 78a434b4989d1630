import type { Money } from '../shared/money';
import type { CalendarDate, UtcTimestamp } from '../shared/time';
import type { PipelineStages } from '../pipeline/state';
import type { ContactRole, BuyingRole, LossReason } from './events';

// Commands that name a stage carry the pipeline's current stages: the handler
// loads the pipeline stream first (see pipelineStagesOf).

export type OpenOpportunity = {
  type: 'OpenOpportunity';
  data: {
    opportunityId: string;
    name: string;
    accountId: string;
    contactRoles: readonly ContactRole[];
    pipeline: PipelineStages;
    stageId: string;
    amount: Money;
    expectedCloseDate: CalendarDate;
    ownerId: string;
    openedAt: UtcTimestamp;
  };
};

export type ChangeStage = {
  type: 'ChangeStage';
  data: { opportunityId: string; pipeline: PipelineStages; stageId: string; changedAt: UtcTimestamp };
};

/** Keeps the currency; a different currency is refused (see ChangeCurrency). */
export type ChangeAmount = {
  type: 'ChangeAmount';
  data: { opportunityId: string; amount: Money; changedAt: UtcTimestamp };
};

/** The buyer asked to be quoted in another currency: the amount is restated in it. */
export type ChangeCurrency = {
  type: 'ChangeCurrency';
  data: { opportunityId: string; amount: Money; changedAt: UtcTimestamp };
};

export type ChangeCloseDate = {
  type: 'ChangeCloseDate';
  data: { opportunityId: string; expectedCloseDate: CalendarDate; changedAt: UtcTimestamp };
};

export type AddContactRole = {
  type: 'AddContactRole';
  data: { opportunityId: string; contactId: string; role: BuyingRole; addedAt: UtcTimestamp };
};

export type CloseWon = {
  type: 'CloseWon';
  data: { opportunityId: string; wonAmount: Money; closedAt: UtcTimestamp };
};

export type CloseLost = {
  type: 'CloseLost';
  data: { opportunityId: string; reason: LossReason; note?: string | null; closedAt: UtcTimestamp };
};

export type Reopen = {
  type: 'Reopen';
  data: { opportunityId: string; pipeline: PipelineStages; stageId: string; reason?: string | null; reopenedAt: UtcTimestamp };
};

export type OpportunityCommand =
  | OpenOpportunity
  | ChangeStage
  | ChangeAmount
  | ChangeCurrency
  | ChangeCloseDate
  | AddContactRole
  | CloseWon
  | CloseLost
  | Reopen;
