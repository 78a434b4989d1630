import { eventTypeFilter, excludeSystemEvents, streamNameFilter, type Filter } from '@eventstore/db-client';
import { isSystemEventType } from './envelope';
import { InvalidEventError } from './errors';

export interface SubscriptionFilter {
  streamNamePrefixes?: readonly string[];
  eventTypePrefixes?: readonly string[];
  /** Tested against the stream name like RegExp#test (unanchored). */
  streamNameRegex?: string;
}

export type CheckpointCallback = NonNullable<Filter['checkpointReached']>;

export function validateFilter(filter: SubscriptionFilter | undefined): void {
  if (!filter) return;
  if (filter.eventTypePrefixes?.some(isSystemEventType)) {
    throw new InvalidEventError('Subscriptions never deliver system ($-prefixed) event types; remove them from eventTypePrefixes');
  }
  if (filter.streamNameRegex !== undefined) {
    try {
      new RegExp(filter.streamNameRegex);
    } catch (error) {
      throw new InvalidEventError(`streamNameRegex is not a valid regular expression: ${filter.streamNameRegex}`, { cause: error });
    }
  }
}

/**
 * The server applies a single expression (on stream name *or* event type), so it gets the
 * most selective one and `eventMatcher` checks every condition on our side. With no
 * condition the server still drops system events — and sends checkpoints, which only
 * filtered subscriptions receive.
 */
export function toServerFilter(
  filter: SubscriptionFilter | undefined,
  checkpointInterval: number,
  checkpointReached: CheckpointCallback,
): Filter {
  const common = { checkpointInterval, checkpointReached };
  if (filter?.streamNamePrefixes?.length) return streamNameFilter({ prefixes: [...filter.streamNamePrefixes], ...common });
  if (filter?.streamNameRegex !== undefined) return streamNameFilter({ regex: filter.streamNameRegex, ...common });
  if (filter?.eventTypePrefixes?.length) return eventTypeFilter({ prefixes: [...filter.eventTypePrefixes], ...common });
  return excludeSystemEvents(common);
}

/** A predicate telling whether an event passes every condition of the filter; system events never do. */
export function eventMatcher(filter: SubscriptionFilter | undefined): (streamName: string, type: string) => boolean {
  const streamNamePrefixes = filter?.streamNamePrefixes?.length ? filter.streamNamePrefixes : undefined;
  const eventTypePrefixes = filter?.eventTypePrefixes?.length ? filter.eventTypePrefixes : undefined;
  const streamNameRegex = filter?.streamNameRegex !== undefined ? new RegExp(filter.streamNameRegex) : undefined;
  // Asked for every event of a catch-up by every consumer: loops, not a closure per call.
  return (streamName, type) =>
    !isSystemEventType(type) &&
    (!streamNamePrefixes || startsWithAny(streamName, streamNamePrefixes)) &&
    (!eventTypePrefixes || startsWithAny(type, eventTypePrefixes)) &&
    (!streamNameRegex || streamNameRegex.test(streamName));
}

function startsWithAny(text: string, prefixes: readonly string[]): boolean {
  for (const prefix of prefixes) if (text.startsWith(prefix)) return true;
  return false;
}
