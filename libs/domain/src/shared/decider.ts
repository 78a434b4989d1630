/**
 * The shape every aggregate exposes and the event-store library's generic
 * `handle(stream, decider, command)` consumes: fold the stream with `evolve`
 * from `initialState()`, then `decide` which events the command produces.
 */
export type Decider<Command, Event, State> = {
  initialState(): State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): Event[];
};

export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
