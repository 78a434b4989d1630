import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Actor, CommandContext, EventSource } from '@revops/event-store';

export const CORRELATION_HEADER = 'x-correlation-id';

/** Long enough for a W3C trace id or a UUID with a prefix, short enough to index. */
const CORRELATION_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * The envelope of one command: the caller's correlation id (from `x-correlation-id`, so a
 * whole user journey across systems can be traced) or a new one, and a fresh causation id
 * naming this command. A malformed correlation header is replaced, not trusted: it ends
 * up in every event's metadata.
 */
export function commandContextFrom(
  headers: IncomingHttpHeaders,
  options: { source: EventSource; actor: Actor; occurredAt?: string | Date },
): CommandContext {
  const header = headers[CORRELATION_HEADER];
  const offered = Array.isArray(header) ? header[0] : header;
  return {
    correlationId: offered && CORRELATION_ID.test(offered) ? offered : randomUUID(),
    causationId: randomUUID(),
    actor: options.actor,
    source: options.source,
    occurredAt: options.occurredAt ?? new Date(),
  };
}
