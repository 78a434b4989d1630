import { isSystemEventType } from '@revops/event-store';
import type { ProjectionFilter } from './projection';

/**
 * The filter of a projection as a predicate, for the places that read `$all` without a
 * subscription (lag estimates, read-your-writes checks) and must count the same events the
 * subscription delivers.
 */
export function matcherOf(filter: ProjectionFilter): (streamName: string, type: string) => boolean {
  const streamNamePrefixes = filter.streamNamePrefixes?.length ? filter.streamNamePrefixes : undefined;
  const eventTypePrefixes = filter.eventTypePrefixes?.length ? filter.eventTypePrefixes : undefined;
  const streamNameRegex = filter.streamNameRegex === undefined ? undefined : new RegExp(filter.streamNameRegex);
  return (streamName, type) =>
    !isSystemEventType(type) &&
    (streamNamePrefixes === undefined || streamNamePrefixes.some((prefix) => streamName.startsWith(prefix))) &&
    (eventTypePrefixes === undefined || eventTypePrefixes.some((prefix) => type.startsWith(prefix))) &&
    (streamNameRegex === undefined || streamNameRegex.test(streamName));
}
