/// <reference types="jest" />
import type { Decider } from '../shared/decider';
import { DomainError } from '../shared/domain-error';

/**
 * Decider specs read as the business story:
 *
 *   given(opportunityDecider, opened()).when(closeWon()).then(closedWon());
 *   given(opportunityDecider, opened(), closedWon()).when(changeStage()).thenThrows('OPPORTUNITY_ALREADY_CLOSED');
 *
 * `then()` with no events asserts the command changed nothing (an idempotent repeat).
 */
export function given<Command, Event, State>(decider: Decider<Command, Event, State>, ...history: Event[]) {
  const state = history.reduce(decider.evolve, decider.initialState());

  return {
    when(command: Command) {
      const decide = () => decider.decide(command, state);

      return {
        then(...expected: Event[]): void {
          const events = decide();
          expect(events).toEqual(expected);
          // What decide produces must fold: a decided event that evolve cannot take would break the next load.
          expect(() => events.reduce(decider.evolve, state)).not.toThrow();
        },

        thenThrows(code: string, field?: string): void {
          let thrown: unknown;
          try {
            decide();
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(DomainError);
          expect((thrown as DomainError).code).toBe(code);
          if (field !== undefined) {
            expect((thrown as DomainError).field).toBe(field);
          }
        },
      };
    },
  };
}

/** The state after a history, for specs that assert on what evolve remembers. */
export function stateAfter<Command, Event, State>(decider: Decider<Command, Event, State>, ...history: Event[]): State {
  return history.reduce(decider.evolve, decider.initialState());
}
