import type { Position } from '@revops/event-store';

/** What a bounded forward read of `$all` from a checkpoint found. */
export interface LagScan {
  /** Events read after the checkpoint (system events excluded). */
  readonly scanned: number;
  /** Of those, the ones the projection consumes. */
  readonly matched: number;
  /** The read got to the end of `$all` before its limit. */
  readonly reachedEnd: boolean;
  readonly firstScanned: Position | null;
  readonly lastScanned: Position | null;
  readonly lastScannedRecordedAt: Date | null;
  /** recordedAt of the first consumed event after the checkpoint: the oldest one still to apply. */
  readonly oldestPendingRecordedAt: Date | null;
}

export interface LagEstimate {
  readonly events: number;
  /** False when the scan stopped at its limit and the rest was extrapolated. */
  readonly exact: boolean;
}

/**
 * Events the projection has yet to apply. Counted exactly when the scan reached the end of
 * `$all`; otherwise the share of consumed events in the scanned range is extrapolated over
 * the rest of the log by position (positions grow with the bytes written, so this assumes
 * events of roughly even size).
 */
export function estimateLagEvents(checkpoint: Position | null, head: Position | null, scan: LagScan): LagEstimate {
  if (scan.reachedEnd || head === null || scan.lastScanned === null) return { events: scan.matched, exact: scan.reachedEnd };
  const origin = checkpoint ?? scan.firstScanned;
  if (origin === null) return { events: scan.matched, exact: false };
  const covered = Number(scan.lastScanned.commit - origin.commit);
  const remaining = Number(head.commit - scan.lastScanned.commit);
  if (covered <= 0 || remaining <= 0) return { events: scan.matched, exact: false };
  return { events: scan.matched + Math.round((scan.matched * remaining) / covered), exact: false };
}

/**
 * How stale the read model is: zero when nothing is pending, otherwise how long the oldest
 * pending event has been in the log. It keeps growing while a projection is stalled or not
 * running at all, unlike a lag measured between two positions, which freezes with them.
 * When the scan stopped before finding a pending event, the last scanned event stands in
 * for it (an upper bound).
 */
export function lagSeconds(now: Date, estimate: LagEstimate, scan: LagScan): number {
  if (estimate.events === 0) return 0;
  const since = scan.oldestPendingRecordedAt ?? scan.lastScannedRecordedAt;
  if (since === null) return 0;
  return Math.max(0, (now.getTime() - since.getTime()) / 1_000);
}

export type CheckpointStatus = 'building' | 'live' | 'failed' | 'retired';

/**
 * - rebuilding: a version that has never caught up (new, or rebuilding beside the serving one);
 * - running: caught up before, behind now;
 * - caught_up: nothing left to apply;
 * - stalled: stopped on an event it could not apply, until resumed, skipped or replaced;
 * - retired: replaced by a newer version.
 */
export type ProjectionState = 'rebuilding' | 'running' | 'caught_up' | 'stalled' | 'retired';

export function projectionState(status: CheckpointStatus, lagEvents: number | null): ProjectionState {
  switch (status) {
    case 'failed':
      return 'stalled';
    case 'retired':
      return 'retired';
    case 'building':
      return 'rebuilding';
    case 'live':
      return lagEvents === 0 ? 'caught_up' : 'running';
    default: {
      const unknown: never = status;
      throw new Error(`Unknown projection status ${String(unknown)}`);
    }
  }
}
