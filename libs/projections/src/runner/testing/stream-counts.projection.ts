import type { RecordedEnvelope } from '@revops/event-store';

/** One stream's share of a batch: how many events, their weight, and where it ended. */
export interface StreamCountChange {
  readonly streamName: string;
  readonly events: number;
  readonly weight: number;
  readonly lastRevision: bigint;
  readonly lastType: string;
}

/**
 * Test projection: counts the events of each stream and sums their `weight` (1 when absent).
 * Counting is deliberately not idempotent, so applying an event twice shows in the rows.
 */
export function countByStream(
  events: readonly RecordedEnvelope[],
  options: { clampNegativeWeights: boolean } = { clampNegativeWeights: false },
): StreamCountChange[] {
  const byStream = new Map<string, StreamCountChange>();
  for (const event of events) {
    const previous = byStream.get(event.streamName);
    byStream.set(event.streamName, {
      streamName: event.streamName,
      events: (previous?.events ?? 0) + 1,
      weight: (previous?.weight ?? 0) + (options.clampNegativeWeights ? Math.max(0, weightOf(event)) : weightOf(event)),
      lastRevision: event.revision,
      lastType: event.type,
    });
  }
  return [...byStream.values()];
}

function weightOf(event: RecordedEnvelope): number {
  const weight = (event.data as { weight?: unknown } | null)?.weight;
  return typeof weight === 'number' ? weight : 1;
}
