import type { Position } from '@revops/event-store';
import type { Operator, ProjectionBookkeeping, VersionKey } from './bookkeeping';
import type { ProjectionSignals } from './signals';

/**
 * The ways out of a stall, each recorded with the failure it resolves (projection_failures:
 * resolution, resolved_by, resolution_reason). The third way needs no call: deploy a newer
 * version, which replaces the stalled one once it has caught up.
 */
export class ProjectionsAdmin {
  constructor(
    private readonly bookkeeping: ProjectionBookkeeping,
    private readonly signals: ProjectionSignals,
  ) {}

  /** Retry from the checkpoint, after a fix has been deployed under the same version. */
  async resume(key: VersionKey, operator: Operator): Promise<void> {
    await this.bookkeeping.resume(key, operator);
    this.signals.changed(key);
  }

  /** Never apply the event the version stalled at; `position` must name that event. */
  async skip(key: VersionKey, position: Position, operator: Operator): Promise<void> {
    await this.bookkeeping.skip(key, position, operator);
    this.signals.changed(key);
  }
}
