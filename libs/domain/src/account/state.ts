import { assertNever } from '../shared/decider';
import type { AccountEvent } from './events';

export type AccountState =
  | { readonly status: 'unknown' }
  | { readonly status: 'active'; readonly accountId: string; readonly domain: string; readonly contactIds: ReadonlySet<string> };

export function initial(): AccountState {
  return { status: 'unknown' };
}

export function evolve(state: AccountState, event: AccountEvent): AccountState {
  switch (event.type) {
    case 'AccountCreated':
      return { status: 'active', accountId: event.data.accountId, domain: event.data.domain, contactIds: new Set() };
    case 'ContactAssociated':
      // Replays must never break: an association before creation is ignored.
      return state.status === 'active' ? { ...state, contactIds: new Set([...state.contactIds, event.data.contactId]) } : state;
    default:
      return assertNever(event);
  }
}
