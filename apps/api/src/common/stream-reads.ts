import type { EventStore, RecordedEnvelope } from '@revops/event-store';

type Fold<State, Event> = { initialState(): State; evolve(state: State, event: Event): State };

/** The current state of an aggregate, for a command that needs another aggregate's facts. */
export async function currentState<State, Event extends { type: string; data: unknown }>(
  eventStore: EventStore,
  streamName: string,
  fold: Fold<State, Event>,
): Promise<State> {
  let state = fold.initialState();
  for await (const envelope of eventStore.readStream(streamName)) {
    state = fold.evolve(state, { type: envelope.type, data: envelope.data } as Event);
  }
  return state;
}

/** The event that created a stream, or null when the stream has none. */
export async function firstEventOf(eventStore: EventStore, streamName: string): Promise<RecordedEnvelope | null> {
  for await (const envelope of eventStore.readStream(streamName, { maxCount: 1 })) {
    return envelope;
  }
  return null;
}
