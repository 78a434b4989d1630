import { assertNever } from '../shared/decider';
import type { ContactDetails, ContactEvent, LeadRejectionReason } from './events';
import { movesBack, type LifecycleStage } from './lifecycle';

/** Sales' verdict on the current hand-off; cleared when the lead is recycled. */
export type SalesVerdict =
  | { readonly verdict: 'accepted' }
  | { readonly verdict: 'rejected'; readonly reason: LeadRejectionReason; readonly note: string | null };

export type ContactState =
  | { readonly status: 'unknown' }
  | {
      readonly status: 'active';
      readonly contactId: string;
      readonly details: ContactDetails;
      readonly stage: LifecycleStage;
      readonly score: number | null;
      readonly anonymousIds: ReadonlySet<string>;
      readonly salesVerdict: SalesVerdict | null;
      readonly mergedContactIds: ReadonlySet<string>;
    }
  | { readonly status: 'merged'; readonly contactId: string; readonly survivorContactId: string };

export function initial(): ContactState {
  return { status: 'unknown' };
}

export function evolve(state: ContactState, event: ContactEvent): ContactState {
  if (event.type === 'LeadCaptured') {
    return {
      status: 'active',
      contactId: event.data.contactId,
      details: event.data.details,
      stage: event.data.lifecycleStage,
      score: null,
      anonymousIds: new Set(),
      salesVerdict: null,
      mergedContactIds: new Set(),
    };
  }
  // Replays must never break: an event that cannot apply to this state leaves it as it is.
  if (state.status !== 'active') {
    return state;
  }
  switch (event.type) {
    case 'ContactUpdated':
      return { ...state, details: { ...state.details, ...event.data.changes } };
    case 'IdentityLinked':
      return { ...state, anonymousIds: new Set([...state.anonymousIds, event.data.anonymousId]) };
    case 'LeadScored':
      return { ...state, score: event.data.score };
    case 'LifecycleStageChanged':
      return {
        ...state,
        stage: event.data.to,
        salesVerdict: movesBack(event.data.from, event.data.to) ? null : state.salesVerdict,
      };
    case 'LeadAcceptedBySales':
      return { ...state, salesVerdict: { verdict: 'accepted' } };
    case 'LeadRejectedBySales':
      return { ...state, salesVerdict: { verdict: 'rejected', reason: event.data.reason, note: event.data.note } };
    case 'ContactMerged':
      return { ...state, mergedContactIds: new Set([...state.mergedContactIds, event.data.mergedContactId]) };
    case 'ContactMergedInto':
      return { status: 'merged', contactId: state.contactId, survivorContactId: event.data.survivorContactId };
    default:
      return assertNever(event);
  }
}
