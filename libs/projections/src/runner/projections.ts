import type { AllFeed, EventStore } from '@revops/event-store';
import type { ReadStoreConnection } from '@revops/read-models';
import { ProjectionBookkeeping } from './bookkeeping';
import { CommitFeed } from './commit-feed';
import { InProcessLeases, PostgresAdvisoryLeases, type LeaseProvider } from './leases';
import type { Projection } from './projection';
import { DEFAULT_RUNNER_SETTINGS, runnerSettings, type RunnerSettings } from './projection-runner';
import { ProjectionRunners } from './projection-runners';
import { ProjectionsAdmin } from './projections-admin';
import { ProjectionsStatus, type StatusSettings } from './projections-status';
import { ReadYourWrites, type ReadYourWritesSettings } from './read-your-writes';
import type { ReadStoreSql } from './read-store-sql';
import { ServingVersions } from './serving-versions';
import { ProjectionSignals } from './signals';

export interface ProjectionsOptions {
  /** Every projection version this process knows; several versions of one name may run side by side. */
  readonly projections: readonly Projection[];
  /**
   * Where the read store is. Against embedded PostgreSQL (one session for everyone) leases
   * are held in this process; otherwise as advisory locks on a dedicated session to `url`.
   */
  readonly readStore: ReadStoreConnection;
  /** Run the projections here (default true). False: status, serving versions and read-your-writes only. */
  readonly run?: boolean;
  readonly runner?: Partial<RunnerSettings>;
  readonly status?: Partial<StatusSettings>;
  readonly readYourWrites?: Partial<ReadYourWritesSettings>;
  /** How long a resolved serving version is reused (default 1 s). */
  readonly servingCacheMs?: number;
}

export interface ProjectionsDependencies {
  readonly store: EventStore;
  readonly sql: ReadStoreSql;
  /** Defaults from `readStore.embedded`. */
  readonly leases?: LeaseProvider;
  /** Where runners subscribe to `$all`; by default a SharedCatchUp over `store` (or `store` itself without `shareCatchUp`). */
  readonly feed?: AllFeed;
}

/** Everything the read side needs from the runner, wired once per process. */
export class Projections {
  readonly signals = new ProjectionSignals();
  readonly bookkeeping: ProjectionBookkeeping;
  readonly runners: ProjectionRunners;
  readonly status: ProjectionsStatus;
  readonly serving: ServingVersions;
  readonly readYourWrites: ReadYourWrites;
  readonly admin: ProjectionsAdmin;
  private readonly leases: LeaseProvider;
  private readonly run: boolean;

  private readonly feed: CommitFeed | undefined;

  constructor(deps: ProjectionsDependencies, options: ProjectionsOptions) {
    // Against a PostgreSQL server, runners announce their commits and a process that does
    // not run them listens; embedded PostgreSQL is the api's own, which runs them itself.
    const shared = !options.readStore.embedded;
    // Embedded PostgreSQL has one session: a transaction holds it, so queries of the api wait
    // on each batch, and catching up keeps to the live batch size there.
    const catchUp = shared ? {} : { catchUpBatchSize: options.runner?.maxBatchSize ?? DEFAULT_RUNNER_SETTINGS.maxBatchSize, finishParallelism: 1 };
    const settings = runnerSettings({ announceCommits: shared, ...catchUp, ...options.runner });
    this.run = options.run ?? true;
    this.leases =
      deps.leases ?? (options.readStore.embedded ? new InProcessLeases() : new PostgresAdvisoryLeases(options.readStore.url));
    this.bookkeeping = new ProjectionBookkeeping(deps.sql);
    this.runners = new ProjectionRunners(
      options.projections,
      { store: deps.store, sql: deps.sql, leases: this.leases, signals: this.signals, feed: deps.feed },
      settings,
    );
    this.status = new ProjectionsStatus(deps.store, this.bookkeeping, options.projections, this.run ? this.runners : undefined, {
      lagScanLimit: 1_000,
      rateWindowMs: settings.rateWindowMs,
      ...options.status,
    });
    this.serving = new ServingVersions(this.bookkeeping, this.signals, options.servingCacheMs);
    this.readYourWrites = new ReadYourWrites(deps.store, this.bookkeeping, this.signals, options.projections, {
      pollIntervalMs: 50,
      maxPollIntervalMs: 1_000,
      scanLimit: 256,
      ...options.readYourWrites,
    });
    this.admin = new ProjectionsAdmin(this.bookkeeping, this.signals);
    this.feed = !this.run && shared ? new CommitFeed(options.readStore.url, deps.store, options.projections, this.signals, this.serving) : undefined;
  }

  start(): void {
    if (this.run) this.runners.start();
    this.feed?.start();
  }

  async stop(): Promise<void> {
    await this.feed?.stop();
    await this.runners.stop();
    await this.leases.close();
  }
}
