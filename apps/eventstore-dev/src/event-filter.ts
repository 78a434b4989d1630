import { BadRequestError } from './errors';
import type { streams } from './protocol';

/** Default `maxSearchWindow`: the server's read batch size. */
const DEFAULT_SEARCH_WINDOW = 32;

export interface EventFilter {
  matches(streamName: string, eventType: () => string): boolean;
  /** Considered events between two checkpoints. */
  checkpointInterval: number;
}

/** Builds the server-side `$all` filter of a read or subscription, if it has one. */
export function toEventFilter(options: streams.ReadReq.Options): EventFilter | undefined {
  if (!options.hasFilter()) return undefined;
  const filter = options.getFilter()!;
  const window = filter.hasMax() ? filter.getMax() : DEFAULT_SEARCH_WINDOW;
  const checkpointInterval = Math.max(1, filter.getCheckpointintervalmultiplier() || 1) * Math.max(1, window);
  if (filter.hasStreamIdentifier()) {
    const test = expressionTest(filter.getStreamIdentifier()!);
    return { checkpointInterval, matches: (streamName) => test(streamName) };
  }
  if (filter.hasEventType()) {
    const test = expressionTest(filter.getEventType()!);
    return { checkpointInterval, matches: (_streamName, eventType) => test(eventType()) };
  }
  return undefined;
}

function expressionTest(expression: streams.ReadReq.Options.FilterOptions.Expression): (value: string) => boolean {
  const prefixes = expression.getPrefixList();
  if (prefixes.length > 0) return (value) => prefixes.some((prefix) => value.startsWith(prefix));
  const source = expression.getRegex();
  if (source === '') return () => true;
  let pattern: RegExp;
  try {
    pattern = new RegExp(source);
  } catch {
    throw new BadRequestError(`Invalid filter regex ${source}`);
  }
  return (value) => pattern.test(value);
}
