import { assertNever } from '../shared/decider';
import type { Money } from '../shared/money';
import type { CalendarDate, UtcTimestamp } from '../shared/time';
import type { ContactRole, OpportunityEvent } from './events';

type OpportunityFacts = {
  readonly opportunityId: string;
  readonly pipelineId: string;
  readonly stageId: string;
  readonly amount: Money;
  readonly expectedCloseDate: CalendarDate;
  readonly contactRoles: readonly ContactRole[];
  readonly openedAt: UtcTimestamp;
};

export type OpportunityState =
  | { readonly status: 'unknown' }
  | ({ readonly status: 'open' } & OpportunityFacts)
  | ({ readonly status: 'closed'; readonly outcome: 'won' | 'lost' } & OpportunityFacts);

export function initial(): OpportunityState {
  return { status: 'unknown' };
}

export function evolve(state: OpportunityState, event: OpportunityEvent): OpportunityState {
  if (event.type === 'OpportunityOpened') {
    const { opportunityId, pipelineId, stageId, amount, expectedCloseDate, contactRoles, openedAt } = event.data;
    return { status: 'open', opportunityId, pipelineId, stageId, amount, expectedCloseDate, contactRoles, openedAt };
  }
  // Replays must never break: an event that cannot apply to this state leaves it as it is.
  if (state.status === 'unknown') {
    return state;
  }
  switch (event.type) {
    case 'StageChanged':
      return { ...state, stageId: event.data.toStageId };
    case 'AmountChanged':
      return { ...state, amount: event.data.to };
    case 'CloseDateChanged':
      return { ...state, expectedCloseDate: event.data.to };
    case 'ContactRoleAdded':
      return { ...state, contactRoles: [...state.contactRoles, { contactId: event.data.contactId, role: event.data.role }] };
    case 'ClosedWon':
      return { ...state, status: 'closed', outcome: 'won' };
    case 'ClosedLost':
      return { ...state, status: 'closed', outcome: 'lost' };
    case 'Reopened': {
      const { opportunityId, pipelineId, amount, expectedCloseDate, contactRoles, openedAt } = state;
      return { status: 'open', opportunityId, pipelineId, stageId: event.data.stageId, amount, expectedCloseDate, contactRoles, openedAt };
    }
    default:
      return assertNever(event);
  }
}
