import type { Position, RecordedEnvelope } from '@revops/event-store';

export const RECORDED_AT = new Date('2024-05-02T10:00:00.000Z');

export function at(commit: number): Position {
  return { commit: BigInt(commit), prepare: BigInt(commit) };
}

/** An envelope as the subscription hands it over; `commit` is its `$all` position. */
export function anEnvelope(commit: number, overrides: Partial<RecordedEnvelope> = {}): RecordedEnvelope {
  return {
    eventId: `00000000-0000-4000-8000-${String(commit).padStart(12, '0')}`,
    type: 'Counted',
    data: {},
    metadata: {
      $correlationId: 'corr-1',
      $causationId: 'cmd-1',
      actor: { type: 'system', id: 'projection-tests' },
      source: 'system',
      occurredAt: RECORDED_AT.toISOString(),
      schemaVersion: 1,
    },
    streamName: 'counted-1',
    revision: 0n,
    position: at(commit),
    recordedAt: RECORDED_AT,
    ...overrides,
  };
}
