import type { ChannelRuleSet } from '../channel/channel-rules';
import { defaultChannelRuleSet } from '../channel/default-channel-rules';
import { assertNever, type Decider } from '../shared/decider';
import type { JourneyCommand } from './commands';
import type { JourneyEvent } from './events';
import { recordTouchpoint } from './record-touchpoint';
import { evolve, initial, type JourneyState } from './state';

/**
 * For callers that load the journey before appending (one touch at a time,
 * e.g. from GraphQL): a touch already in the journey records nothing. Bulk
 * ingestion skips the load and relies on the event id instead.
 */
export function journeyDeciderWith(rules: ChannelRuleSet): Decider<JourneyCommand, JourneyEvent, JourneyState> {
  return {
    initialState: initial,
    evolve,
    decide(command, state) {
      switch (command.type) {
        case 'RecordTouchpoint': {
          const { event } = recordTouchpoint(command, rules);
          return state.touchpointIds.has(event.data.touchpointId) ? [] : [event];
        }
        default:
          return assertNever(command.type);
      }
    },
  };
}

export const journeyDecider = journeyDeciderWith(defaultChannelRuleSet);
