import { EventEmitter } from 'node:events';
import type { Position, RecordedEnvelope } from '@revops/event-store';
import type { VersionKey } from './bookkeeping';

export interface Committed extends VersionKey {
  readonly checkpoint: Position;
  readonly events: number;
  /** The events the batch applied, in `$all` order; empty for a checkpoint over filtered-out events. */
  readonly batch: readonly RecordedEnvelope[];
}

/**
 * In-process notices between runners, readers and operators of the same process. They only
 * shorten waits: everything they announce is in PostgreSQL too, where other processes poll.
 */
export class ProjectionSignals {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  /** A batch (or a checkpoint) of a projection version has committed. */
  committed(notice: Committed): void {
    this.emitter.emit('committed', notice);
  }

  onCommitted(listener: (notice: Committed) => void): () => void {
    this.emitter.on('committed', listener);
    return () => this.emitter.off('committed', listener);
  }

  /** A version's status or the serving version changed (caught up, switched, stalled, resumed…). */
  changed(key: VersionKey): void {
    this.emitter.emit('changed', key);
  }

  onChanged(listener: (key: VersionKey) => void): () => void {
    this.emitter.on('changed', listener);
    return () => this.emitter.off('changed', listener);
  }
}
