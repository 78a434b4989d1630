import { Gauge, type Registry } from 'prom-client';
import type { ProjectionState } from './lag';
import type { ProjectionStatus } from './projections-status';

/** Every state a version can be in, so that the state gauge has a series for each. */
const STATES: readonly ProjectionState[] = ['rebuilding', 'running', 'caught_up', 'stalled'];

const LABELS = ['projection', 'version'] as const;

/**
 * The status of each projection version that is not retired, as Prometheus gauges labelled by
 * projection and version, read afresh at every scrape (`refresh`): whether it serves, its
 * state (one series per state, 1 for the one it is in), its lag in events and in seconds, its
 * rate, the events it applied and when it last committed. A lag stays away while it cannot be
 * counted (the event store unreachable) instead of reading as 0. `revops_projections_status_up`
 * says whether the status could be read at all: 0 when the read store is away, and then no
 * version's series are reported.
 *
 * Alert on what an operator acts on: a state of `stalled`, or a lag that grows while the last
 * commit gets no newer (a lag that shrinks is a catch-up doing its work).
 */
export class ProjectionMetrics {
  private readonly up: Gauge;
  private readonly serving: Gauge<(typeof LABELS)[number]>;
  private readonly state: Gauge<(typeof LABELS)[number] | 'state'>;
  private readonly lagEvents: Gauge<(typeof LABELS)[number]>;
  private readonly lagSeconds: Gauge<(typeof LABELS)[number]>;
  private readonly eventsPerSecond: Gauge<(typeof LABELS)[number]>;
  private readonly eventsApplied: Gauge<(typeof LABELS)[number]>;
  private readonly lastCommit: Gauge<(typeof LABELS)[number]>;

  constructor(
    registry: Registry,
    private readonly statuses: { list(): Promise<ProjectionStatus[]> },
  ) {
    const gauge = <Label extends string>(name: string, help: string, labelNames: readonly Label[]) =>
      new Gauge<Label>({ name, help, labelNames, registers: [registry] });
    this.up = gauge('revops_projections_status_up', 'Whether the projections status could be read from the read store (1) or not (0)', []);
    this.serving = gauge('revops_projection_serving', 'Whether queries read this projection version (1) or not (0)', LABELS);
    this.state = gauge('revops_projection_state', 'The state the projection version is in (1), one series per state', [...LABELS, 'state']);
    this.lagEvents = gauge('revops_projection_lag_events', 'Events of $all this version consumes that it has not applied yet', LABELS);
    this.lagSeconds = gauge('revops_projection_lag_seconds', 'Age of the oldest event this version has still to apply; 0 when none is pending', LABELS);
    this.eventsPerSecond = gauge('revops_projection_events_per_second', 'Events applied per second over the recent window', LABELS);
    this.eventsApplied = gauge('revops_projection_events_applied', 'Events this version has applied to its tables', LABELS);
    this.lastCommit = gauge('revops_projection_last_commit_timestamp_seconds', 'When this version last committed a batch (Unix time)', LABELS);
  }

  /** Reads every version's status and sets the gauges from it, dropping the series of versions gone since. */
  async refresh(): Promise<void> {
    let statuses: ProjectionStatus[] | undefined;
    try {
      statuses = await this.statuses.list();
    } catch {
      statuses = undefined;
    }
    const byVersion = [this.serving, this.state, this.lagEvents, this.lagSeconds, this.eventsPerSecond, this.eventsApplied, this.lastCommit];
    for (const gauge of byVersion) gauge.reset();
    this.up.set(statuses === undefined ? 0 : 1);
    if (statuses === undefined) return;
    for (const status of statuses) {
      if (status.state === 'retired') continue;
      const labels = { projection: status.name, version: String(status.version) };
      this.serving.set(labels, status.serving ? 1 : 0);
      for (const state of STATES) this.state.set({ ...labels, state }, status.state === state ? 1 : 0);
      if (status.lagEvents !== null) this.lagEvents.set(labels, status.lagEvents);
      if (status.lagSeconds !== null) this.lagSeconds.set(labels, status.lagSeconds);
      this.eventsPerSecond.set(labels, status.eventsPerSecond);
      this.eventsApplied.set(labels, status.eventsApplied);
      if (status.lastCommittedAt !== null) this.lastCommit.set(labels, status.lastCommittedAt.getTime() / 1000);
    }
  }
}
