import type { PipelineStages } from '../pipeline/state';
import { assertNever, type Decider } from '../shared/decider';
import { invalidField } from '../shared/domain-error';
import { money, sameMoney, type Money } from '../shared/money';
import { calendarDate, utcTimestamp } from '../shared/time';
import { integerInRange, oneOf, optionalText, requiredId, requiredText } from '../shared/validation';
import type {
  AddContactRole,
  ChangeAmount,
  ChangeCloseDate,
  ChangeCurrency,
  ChangeStage,
  CloseLost,
  CloseWon,
  OpenOpportunity,
  OpportunityCommand,
  Reopen,
} from './commands';
import {
  closedBeforeOpened,
  currencyMismatch,
  duplicateContactRole,
  opportunityAlreadyClosed,
  opportunityAlreadyExists,
  opportunityNotClosed,
  opportunityNotFound,
  pipelineMismatch,
  unknownStage,
} from './errors';
import { buyingRoles, lossReasons, type ContactRole, type OpportunityEvent } from './events';
import { evolve, initial, type OpportunityState } from './state';

type OpenOpportunityState = Extract<OpportunityState, { status: 'open' }>;
type ClosedOpportunityState = Extract<OpportunityState, { status: 'closed' }>;

/** The handler supplies the stages; a missing or malformed snapshot is a bug upstream, reported as bad input. */
function givenPipeline(pipeline: PipelineStages): PipelineStages {
  if (typeof pipeline !== 'object' || pipeline === null || !Array.isArray(pipeline.stages)) {
    throw invalidField('REQUIRED_FIELD_MISSING', 'pipeline', "is required: the pipeline's current stages");
  }
  requiredId(pipeline.pipelineId, 'pipeline.pipelineId');
  integerInRange(pipeline.revision, 'pipeline.revision', 1, Number.MAX_SAFE_INTEGER);
  return pipeline;
}

function stageOf(input: PipelineStages, stageId: unknown): string {
  const pipeline = givenPipeline(input);
  const id = requiredId(stageId, 'stageId');
  if (!pipeline.stages.some((stage) => stage.stageId === id)) {
    throw unknownStage(id, pipeline.pipelineId, pipeline.revision);
  }
  return id;
}

/** The stages given must be those of the opportunity's own pipeline. */
function stageInOwnPipeline(
  opportunity: OpenOpportunityState | ClosedOpportunityState,
  pipeline: PipelineStages,
  stageId: unknown,
): string {
  if (givenPipeline(pipeline).pipelineId !== opportunity.pipelineId) {
    throw pipelineMismatch(opportunity.opportunityId, opportunity.pipelineId, pipeline.pipelineId);
  }
  return stageOf(pipeline, stageId);
}

function validContactRoles(input: readonly ContactRole[]): ContactRole[] {
  if (!Array.isArray(input)) {
    throw invalidField('REQUIRED_FIELD_MISSING', 'contactRoles', 'is required (it may be an empty list)');
  }
  const roles = input.map((each, index) => ({
    contactId: requiredId(each?.contactId, `contactRoles[${index}].contactId`),
    role: oneOf(each?.role, buyingRoles, `contactRoles[${index}].role`),
  }));
  roles.forEach((each, index) => {
    if (roles.slice(0, index).some((other) => other.contactId === each.contactId && other.role === each.role)) {
      throw duplicateContactRole(`contactRoles[${index}]`, each.contactId, each.role);
    }
  });
  return roles;
}

function closedAtAfterOpening(opportunity: OpenOpportunityState, value: unknown): string {
  const closedAt = utcTimestamp(value, 'closedAt');
  // Canonical UTC timestamps sort as strings; a close before the opening would give a negative sales cycle.
  if (closedAt < opportunity.openedAt) {
    throw closedBeforeOpened(opportunity.opportunityId, opportunity.openedAt);
  }
  return closedAt;
}

function openOpportunity({ data }: OpenOpportunity, state: OpportunityState): OpportunityEvent[] {
  if (state.status !== 'unknown') {
    throw opportunityAlreadyExists(data.opportunityId);
  }
  const stageId = stageOf(data.pipeline, data.stageId);
  return [
    {
      type: 'OpportunityOpened',
      data: {
        opportunityId: requiredId(data.opportunityId, 'opportunityId'),
        name: requiredText(data.name, 'name', 200),
        accountId: requiredId(data.accountId, 'accountId'),
        contactRoles: validContactRoles(data.contactRoles),
        pipelineId: data.pipeline.pipelineId,
        pipelineRevision: data.pipeline.revision,
        stageId,
        amount: money(data.amount, 'amount'),
        expectedCloseDate: calendarDate(data.expectedCloseDate, 'expectedCloseDate'),
        ownerId: requiredId(data.ownerId, 'ownerId'),
        openedAt: utcTimestamp(data.openedAt, 'openedAt'),
      },
    },
  ];
}

function changeStage({ data }: ChangeStage, opportunity: OpenOpportunityState): OpportunityEvent[] {
  const toStageId = stageInOwnPipeline(opportunity, data.pipeline, data.stageId);
  const changedAt = utcTimestamp(data.changedAt, 'changedAt');
  if (toStageId === opportunity.stageId) {
    return [];
  }
  return [
    {
      type: 'StageChanged',
      data: {
        opportunityId: opportunity.opportunityId,
        fromStageId: opportunity.stageId,
        toStageId,
        pipelineRevision: data.pipeline.revision,
        changedAt,
      },
    },
  ];
}

/**
 * Amount and currency are changed by separate commands: restating a deal in
 * another currency is a deliberate act, never the side effect of a typo in
 * an amount update.
 */
function changeAmount({ data }: ChangeAmount, opportunity: OpenOpportunityState): OpportunityEvent[] {
  const amount = money(data.amount, 'amount');
  const changedAt = utcTimestamp(data.changedAt, 'changedAt');
  if (amount.currency !== opportunity.amount.currency) {
    throw currencyMismatch('amount.currency', opportunity.amount.currency, amount.currency);
  }
  return amountChanged(opportunity, amount, changedAt);
}

function changeCurrency({ data }: ChangeCurrency, opportunity: OpenOpportunityState): OpportunityEvent[] {
  return amountChanged(opportunity, money(data.amount, 'amount'), utcTimestamp(data.changedAt, 'changedAt'));
}

function amountChanged(opportunity: OpenOpportunityState, to: Money, changedAt: string): OpportunityEvent[] {
  if (sameMoney(to, opportunity.amount)) {
    return [];
  }
  return [{ type: 'AmountChanged', data: { opportunityId: opportunity.opportunityId, from: opportunity.amount, to, changedAt } }];
}

function changeCloseDate({ data }: ChangeCloseDate, opportunity: OpenOpportunityState): OpportunityEvent[] {
  const to = calendarDate(data.expectedCloseDate, 'expectedCloseDate');
  const changedAt = utcTimestamp(data.changedAt, 'changedAt');
  if (to === opportunity.expectedCloseDate) {
    return [];
  }
  const from = opportunity.expectedCloseDate;
  return [{ type: 'CloseDateChanged', data: { opportunityId: opportunity.opportunityId, from, to, changedAt } }];
}

function addContactRole({ data }: AddContactRole, opportunity: OpenOpportunityState): OpportunityEvent[] {
  const contactId = requiredId(data.contactId, 'contactId');
  const role = oneOf(data.role, buyingRoles, 'role');
  const addedAt = utcTimestamp(data.addedAt, 'addedAt');
  if (opportunity.contactRoles.some((each) => each.contactId === contactId && each.role === role)) {
    return [];
  }
  return [{ type: 'ContactRoleAdded', data: { opportunityId: opportunity.opportunityId, contactId, role, addedAt } }];
}

function closeWon({ data }: CloseWon, opportunity: OpenOpportunityState): OpportunityEvent[] {
  const wonAmount = money(data.wonAmount, 'wonAmount');
  if (wonAmount.currency !== opportunity.amount.currency) {
    throw currencyMismatch('wonAmount.currency', opportunity.amount.currency, wonAmount.currency);
  }
  const closedAt = closedAtAfterOpening(opportunity, data.closedAt);
  return [{ type: 'ClosedWon', data: { opportunityId: opportunity.opportunityId, wonAmount, stageId: opportunity.stageId, closedAt } }];
}

function closeLost({ data }: CloseLost, opportunity: OpenOpportunityState): OpportunityEvent[] {
  const reason = oneOf(data.reason, lossReasons, 'reason');
  const note = optionalText(data.note, 'note', 2000);
  if (reason === 'OTHER' && note === null) {
    throw invalidField('REQUIRED_FIELD_MISSING', 'note', 'is required when the reason is OTHER');
  }
  const closedAt = closedAtAfterOpening(opportunity, data.closedAt);
  return [{ type: 'ClosedLost', data: { opportunityId: opportunity.opportunityId, reason, note, stageId: opportunity.stageId, closedAt } }];
}

function reopen({ data }: Reopen, opportunity: ClosedOpportunityState): OpportunityEvent[] {
  return [
    {
      type: 'Reopened',
      data: {
        opportunityId: opportunity.opportunityId,
        previousOutcome: opportunity.outcome,
        stageId: stageInOwnPipeline(opportunity, data.pipeline, data.stageId),
        pipelineRevision: data.pipeline.revision,
        reason: optionalText(data.reason, 'reason', 1000),
        reopenedAt: utcTimestamp(data.reopenedAt, 'reopenedAt'),
      },
    },
  ];
}

function openOnly(state: OpportunityState, opportunityId: string): OpenOpportunityState {
  switch (state.status) {
    case 'unknown':
      throw opportunityNotFound(opportunityId);
    case 'closed':
      throw opportunityAlreadyClosed(state.opportunityId, state.outcome);
    case 'open':
      return state;
    default:
      return assertNever(state);
  }
}

function closedOnly(state: OpportunityState, opportunityId: string): ClosedOpportunityState {
  switch (state.status) {
    case 'unknown':
      throw opportunityNotFound(opportunityId);
    case 'open':
      throw opportunityNotClosed(state.opportunityId);
    case 'closed':
      return state;
    default:
      return assertNever(state);
  }
}

export function decide(command: OpportunityCommand, state: OpportunityState): OpportunityEvent[] {
  switch (command.type) {
    case 'OpenOpportunity':
      return openOpportunity(command, state);
    case 'ChangeStage':
      return changeStage(command, openOnly(state, command.data.opportunityId));
    case 'ChangeAmount':
      return changeAmount(command, openOnly(state, command.data.opportunityId));
    case 'ChangeCurrency':
      return changeCurrency(command, openOnly(state, command.data.opportunityId));
    case 'ChangeCloseDate':
      return changeCloseDate(command, openOnly(state, command.data.opportunityId));
    case 'AddContactRole':
      return addContactRole(command, openOnly(state, command.data.opportunityId));
    case 'CloseWon':
      return closeWon(command, openOnly(state, command.data.opportunityId));
    case 'CloseLost':
      return closeLost(command, openOnly(state, command.data.opportunityId));
    case 'Reopen':
      return reopen(command, closedOnly(state, command.data.opportunityId));
    default:
      return assertNever(command);
  }
}

export const opportunityDecider: Decider<OpportunityCommand, OpportunityEvent, OpportunityState> = {
  initialState: initial,
  evolve,
  decide,
};
