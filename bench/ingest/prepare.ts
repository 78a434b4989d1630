import { v5 as uuidV5 } from 'uuid';
import { recordTouchpoint, type TouchpointInput, type TouchpointRecorded } from '@revops/domain';
import type { NewEvent } from '@revops/event-store';
import type { TouchpointPayload } from '../generators/traffic';

// Any fixed namespace will do: it only keeps the passes' ids apart.
const PASS_NAMESPACE = '6f1d3c2a-5b7e-4e8f-9a10-2b3c4d5e6f70';

/**
 * The same traffic under new ids and new people for one measured pass, so that neither
 * path finds the other's events already stored (which would make appends no-ops).
 */
export function forPass(touch: TouchpointPayload, pass: string): TouchpointPayload {
  const tagged = (value: string | undefined) => (value === undefined ? undefined : `${value}-${pass}`);
  return {
    ...touch,
    touchpointId: touch.touchpointId === undefined ? undefined : uuidV5(`${pass}:${touch.touchpointId}`, PASS_NAMESPACE),
    externalId: tagged(touch.externalId),
    anonymousId: tagged(touch.anonymousId),
    contactId: tagged(touch.contactId),
    email: touch.email === undefined ? undefined : `${pass}.${touch.email}`,
  };
}

export function inBatches<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}

export interface StreamAppend {
  streamName: string;
  events: NewEvent<'TouchpointRecorded', TouchpointRecorded['data']>[];
}

/**
 * What the ingestion endpoint appends for a batch, built ahead of time: the domain's
 * events with their envelope, grouped per journey stream in batch order. The raw path
 * appends exactly these, so the difference between the paths is HTTP, parsing and
 * validation.
 */
export function appendsOfBatch(batch: readonly TouchpointPayload[], correlationId: string): StreamAppend[] {
  const streams = new Map<string, StreamAppend>();
  for (const touch of batch) {
    const { streamName, event } = recordTouchpoint({ type: 'RecordTouchpoint', data: touch as TouchpointInput });
    const append = streams.get(streamName) ?? { streamName, events: [] };
    append.events.push({
      ...event,
      eventId: event.data.touchpointId,
      metadata: {
        $correlationId: correlationId,
        $causationId: correlationId,
        actor: { type: 'integration', id: event.data.source },
        source: 'tracker',
        occurredAt: event.data.occurredAt,
      },
    });
    streams.set(streamName, append);
  }
  return [...streams.values()];
}
