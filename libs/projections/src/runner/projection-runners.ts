import { SharedCatchUp } from '@revops/event-store';
import type { Projection } from './projection';
import { validateProjections } from './projection';
import { ProjectionRunner, runnerSettings, type RunnerDependencies, type RunnerSettings } from './projection-runner';

/** The runners of every registered projection version of this process. */
export class ProjectionRunners {
  readonly runners: readonly ProjectionRunner[];
  private started = false;

  constructor(projections: readonly Projection[], deps: RunnerDependencies, settings: Partial<RunnerSettings> = {}) {
    validateProjections(projections);
    const resolved = runnerSettings(settings);
    // Every runner starts at once: those that start at the same place open their read as soon as all of them are there.
    const feed = deps.feed ?? (resolved.shareCatchUp ? new SharedCatchUp(deps.store, { consumers: projections.length }) : undefined);
    this.runners = projections.map((projection) => new ProjectionRunner(projection, { ...deps, feed }, resolved));
  }

  get(name: string, version: number): ProjectionRunner | undefined {
    return this.runners.find((runner) => runner.key.name === name && runner.key.version === version);
  }

  start(): void {
    this.started = true;
    for (const runner of this.runners) runner.start();
  }

  /** Each runner finishes its batch in flight and releases its lease. */
  async stop(): Promise<void> {
    if (!this.started) return;
    await Promise.all(this.runners.map((runner) => runner.stop()));
  }
}
