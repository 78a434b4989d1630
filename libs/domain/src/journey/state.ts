import { assertNever } from '../shared/decider';
import type { JourneyEvent } from './events';

/** All a journey must remember to refuse a duplicate: the touches it already holds. */
export type JourneyState = { readonly touchpointIds: ReadonlySet<string> };

export function initial(): JourneyState {
  return { touchpointIds: new Set() };
}

export function evolve(state: JourneyState, event: JourneyEvent): JourneyState {
  switch (event.type) {
    case 'TouchpointRecorded':
      return { touchpointIds: new Set(state.touchpointIds).add(event.data.touchpointId) };
    default:
      return assertNever(event.type);
  }
}
