import { comparePositions, type EventStore, type Position } from '@revops/event-store';
import type { OpenFailure, ProjectionBookkeeping, VersionRecord } from './bookkeeping';
import { matcherOf } from './event-matcher';
import { estimateLagEvents, lagSeconds, projectionState, type LagScan, type ProjectionState } from './lag';
import type { Projection } from './projection';
import type { ProjectionRunners } from './projection-runners';
import type { RunnerState } from './projection-runner';

export interface ProjectionStatus {
  readonly name: string;
  readonly version: number;
  /** Readers query this version. */
  readonly serving: boolean;
  /** The Postgres schema of its tables. */
  readonly schema: string;
  readonly state: ProjectionState;
  /** Last `$all` position applied (null: nothing yet). */
  readonly checkpoint: Position | null;
  /** Last non-system event of `$all`; null when the log is empty or the event store cannot be reached. */
  readonly head: Position | null;
  /** Consumed events after the checkpoint; null for a retired version, one this process does not know, or without the event store. */
  readonly lagEvents: number | null;
  readonly lagEventsExact: boolean;
  /** Age of the oldest event still to apply; 0 when none is pending. */
  readonly lagSeconds: number | null;
  /** Over the runner's moving window; 0 once nothing has been committed for a window. */
  readonly eventsPerSecond: number;
  readonly eventsApplied: number;
  readonly lastEventRecordedAt: Date | null;
  readonly lastCommittedAt: Date | null;
  readonly caughtUpAt: Date | null;
  readonly retiredAt: Date | null;
  readonly tablesDroppedAt: Date | null;
  /** The event it stalled on, with the error; null unless stalled. */
  readonly error: OpenFailure | null;
  /** What the runner in this process is doing; null when it runs elsewhere (or nowhere). */
  readonly runner: RunnerState | null;
}

export interface StatusSettings {
  /** Events read after a checkpoint to count the lag; beyond it the count is extrapolated. */
  lagScanLimit: number;
  rateWindowMs: number;
}

/** Status of every projection version, as the GraphQL `projections` query reports it. */
export class ProjectionsStatus {
  constructor(
    private readonly store: EventStore,
    private readonly bookkeeping: ProjectionBookkeeping,
    private readonly projections: readonly Projection[],
    private readonly runners: ProjectionRunners | undefined,
    private readonly settings: StatusSettings = { lagScanLimit: 1_000, rateWindowMs: 10_000 },
  ) {}

  /** Every version in the read store (or those of `name`), by name and version. */
  async list(name?: string): Promise<ProjectionStatus[]> {
    // The status must answer while the event store is away (that is when it is wanted): what
    // needs the store is then reported as unknown.
    const [records, head] = await Promise.all([
      this.bookkeeping.list(name),
      this.store.headPosition().catch(() => undefined),
    ]);
    const now = new Date();
    const statuses: ProjectionStatus[] = [];
    // One after the other: each scan is a read of $all, and a status call should not flood the store.
    for (const record of records) statuses.push(await this.statusOf(record, head, now));
    return statuses;
  }

  private async statusOf(record: VersionRecord, head: Position | null | undefined, now: Date): Promise<ProjectionStatus> {
    const projection = this.projections.find((candidate) => candidate.name === record.name && candidate.version === record.version);
    let lagEvents: number | null = null;
    let lagEventsExact = false;
    let lag: number | null = null;
    const scanned = projection !== undefined && record.status !== 'retired' && head !== undefined;
    const scan = scanned ? await this.scan(projection, record.checkpoint).catch(() => undefined) : undefined;
    if (scan !== undefined) {
      const estimate = estimateLagEvents(record.checkpoint, head ?? null, scan);
      lagEvents = estimate.events;
      lagEventsExact = estimate.exact;
      lag = lagSeconds(now, estimate, scan);
    }
    const fresh = record.lastCommittedAt !== null && now.getTime() - record.lastCommittedAt.getTime() <= this.settings.rateWindowMs;
    return {
      name: record.name,
      version: record.version,
      serving: record.serving,
      schema: record.schemaName,
      state: projectionState(record.status, lagEvents),
      checkpoint: record.checkpoint,
      head: head ?? null,
      lagEvents,
      lagEventsExact,
      lagSeconds: lag,
      eventsPerSecond: fresh ? record.eventsPerSecond : 0,
      eventsApplied: record.eventsApplied,
      lastEventRecordedAt: record.lastEventRecordedAt,
      lastCommittedAt: record.lastCommittedAt,
      caughtUpAt: record.caughtUpAt,
      retiredAt: record.retiredAt,
      tablesDroppedAt: record.tablesDroppedAt,
      error: record.failure,
      runner: this.runners?.get(record.name, record.version)?.state ?? null,
    };
  }

  private async scan(projection: Projection, checkpoint: Position | null): Promise<LagScan> {
    const consumes = matcherOf(projection.consumes);
    const limit = this.settings.lagScanLimit;
    let scanned = 0;
    let matched = 0;
    let firstScanned: Position | null = null;
    let lastScanned: Position | null = null;
    let lastScannedRecordedAt: Date | null = null;
    let oldestPendingRecordedAt: Date | null = null;
    let reachedEnd = true;
    // Forward reads include the event at `from`, which the checkpoint says is applied; the
    // extra events make running into the limit distinguishable from the end of the log.
    for await (const event of this.store.readAll({ from: checkpoint ?? 'start', maxCount: limit + 2 })) {
      if (checkpoint !== null && comparePositions(event.position, checkpoint) <= 0) continue;
      if (scanned === limit) {
        reachedEnd = false;
        break;
      }
      scanned++;
      firstScanned ??= event.position;
      lastScanned = event.position;
      lastScannedRecordedAt = event.recordedAt;
      if (consumes(event.streamName, event.type)) {
        matched++;
        oldestPendingRecordedAt ??= event.recordedAt;
      }
    }
    return { scanned, matched, reachedEnd, firstScanned, lastScanned, lastScannedRecordedAt, oldestPendingRecordedAt };
  }
}
