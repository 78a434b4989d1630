import { comparePositions, type EventStore, type Position } from '@revops/event-store';
import type { ProjectionBookkeeping } from './bookkeeping';
import { ProjectionNotFoundError, ProjectionTimeoutError } from './errors';
import { matcherOf } from './event-matcher';
import { hasPassed } from './positions';
import type { Projection } from './projection';
import type { ProjectionSignals } from './signals';

export interface ReadYourWritesSettings {
  /**
   * Re-read the checkpoint after this long, unless a commit of the serving version in this
   * process (its own runners', or one relayed by a CommitFeed) comes first; the wait doubles
   * after each look, up to `maxPollIntervalMs`. The signals are what make a wait short; the
   * polling only covers one that went missing, and a long wait must not poll at a steady 20/s.
   */
  pollIntervalMs: number;
  maxPollIntervalMs: number;
  /** Events read to tell whether the serving version consumes anything up to the position. */
  scanLimit: number;
}

/**
 * Lets a read that follows a write wait until the projection reflects it. The write returned
 * the commit position of its last event; the projection's serving version has passed it
 * when its checkpoint is at or after it, or when no event it consumes lies between its
 * checkpoint and the position (a write to streams it does not read, or one the subscription
 * has not checkpointed past yet on a quiet log).
 */
export class ReadYourWrites {
  constructor(
    private readonly store: EventStore,
    private readonly bookkeeping: ProjectionBookkeeping,
    private readonly signals: ProjectionSignals,
    private readonly projections: readonly Projection[],
    private readonly settings: ReadYourWritesSettings = { pollIntervalMs: 50, maxPollIntervalMs: 1_000, scanLimit: 256 },
  ) {}

  /** Resolves once the serving version of `name` has passed `position`; rejects with PROJECTION_TIMEOUT after `timeoutMs`. */
  async waitForPosition(name: string, position: Position, timeoutMs: number): Promise<void> {
    if (!this.projections.some((projection) => projection.name === name)) {
      throw new ProjectionNotFoundError(`No projection named ${name} is registered`);
    }
    const deadline = Date.now() + timeoutMs;
    let scannedFrom: Position | null | undefined;
    let wake: (() => void) | undefined;
    // A signal that comes while the checkpoint is being read (or the log scanned) is kept, so
    // the next look follows at once instead of after a poll interval that may have grown.
    let signalled = false;
    const nudge = () => {
      signalled = true;
      wake?.();
    };
    // Undefined until the first look; null while no version serves.
    let servingVersion: number | null | undefined;
    let pollMs = this.settings.pollIntervalMs;
    // A version being rebuilt commits too, but it is not what a read would be answered from.
    const stopListening = this.signals.onCommitted((notice) => {
      if (notice.name === name && (servingVersion === undefined || notice.version === servingVersion)) nudge();
    });
    const stopWatching = this.signals.onChanged((key) => {
      if (key.name === name) nudge();
    });
    try {
      for (;;) {
        signalled = false;
        const serving = await this.bookkeeping.serving(name);
        servingVersion = serving?.version ?? null;
        if (serving) {
          if (hasPassed(serving.checkpoint, position)) return;
          const projection = this.projections.find((candidate) => candidate.name === name && candidate.version === serving.version);
          // Scanning again only pays when the checkpoint has moved since the last scan.
          if (projection && !samePosition(scannedFrom, serving.checkpoint)) {
            scannedFrom = serving.checkpoint;
            if (await this.nothingConsumedUpTo(projection, serving.checkpoint, position)) return;
          }
        }
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
          throw new ProjectionTimeoutError(
            `Projection ${name} did not reach position ${position.commit}/${position.prepare} within ${timeoutMs} ms`,
          );
        }
        if (signalled) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, Math.min(pollMs, remaining));
          function done() {
            clearTimeout(timer);
            resolve();
          }
          wake = done;
        });
        wake = undefined;
        pollMs = Math.min(pollMs * 2, this.settings.maxPollIntervalMs);
      }
    } finally {
      stopListening();
      stopWatching();
    }
  }

  private async nothingConsumedUpTo(projection: Projection, checkpoint: Position | null, position: Position): Promise<boolean> {
    const consumes = matcherOf(projection.consumes);
    let scanned = 0;
    for await (const event of this.store.readAll({ from: checkpoint ?? 'start', maxCount: this.settings.scanLimit + 2 })) {
      if (comparePositions(event.position, position) > 0) return true;
      if (checkpoint !== null && comparePositions(event.position, checkpoint) <= 0) continue;
      if (consumes(event.streamName, event.type)) return false;
      if (++scanned >= this.settings.scanLimit) return false;
    }
    return true;
  }
}

function samePosition(a: Position | null | undefined, b: Position | null): boolean {
  if (a === undefined) return false;
  if (a === null || b === null) return a === b;
  return comparePositions(a, b) === 0;
}
