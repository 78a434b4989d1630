import type { IncomingHttpHeaders } from 'node:http';
import { sourceSystem, DomainError } from '@revops/domain';
import type { EventSource } from '@revops/event-store';
import { commandContextFrom } from '../../common/command-context';

export const INTEGRATION_HEADER = 'x-integration-id';
export const EVENT_SOURCE_HEADER = 'x-event-source';

/** How touchpoints may say they entered the system; `api` is GraphQL's own. */
export const ingestionSources = ['tracker', 'crm-webhook', 'import'] as const;

/** The request-wide part of every stored touchpoint's envelope. */
export interface IngestionContext {
  correlationId: string;
  /** One per request: every event of a batch names the same cause. */
  causationId: string;
  /**
   * The sending integration, from `x-integration-id`: the caller's own word until hashed
   * API keys (DESIGN §11) identify callers. Without it, each touch's source stands in.
   */
  integrationId: string | null;
  source: EventSource;
}

export class InvalidIngestionHeaderError extends Error {
  override readonly name = 'InvalidIngestionHeaderError';
}

/**
 * Reads the envelope headers of an ingestion request. A malformed integration id is
 * ignored rather than refused, as the correlation id is: it only labels the events. An
 * unknown event source is refused: recording the wrong provenance would be worse.
 */
export function ingestionContextFrom(headers: IncomingHttpHeaders, defaultSource: EventSource): IngestionContext {
  const integrationId = integrationIdOf(firstValue(headers[INTEGRATION_HEADER]));
  const source = eventSourceOf(firstValue(headers[EVENT_SOURCE_HEADER]), defaultSource);
  const { correlationId, causationId } = commandContextFrom(headers, {
    source,
    actor: { type: 'integration', id: integrationId ?? source },
  });
  return { correlationId, causationId, integrationId, source };
}

function firstValue(header: string | string[] | undefined): string | undefined {
  return Array.isArray(header) ? header[0] : header;
}

function integrationIdOf(header: string | undefined): string | null {
  if (header === undefined) return null;
  try {
    return sourceSystem(header, INTEGRATION_HEADER);
  } catch (error) {
    if (error instanceof DomainError) return null;
    throw error;
  }
}

function eventSourceOf(header: string | undefined, defaultSource: EventSource): EventSource {
  if (header === undefined || header.trim() === '') return defaultSource;
  const source = header.trim().toLowerCase();
  if (!(ingestionSources as readonly string[]).includes(source)) {
    throw new InvalidIngestionHeaderError(`${EVENT_SOURCE_HEADER} must be one of ${ingestionSources.join(', ')} (got "${header}")`);
  }
  return source;
}
