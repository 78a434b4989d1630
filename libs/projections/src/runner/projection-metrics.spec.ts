import { Registry } from 'prom-client';
import { ProjectionMetrics } from './projection-metrics';
import type { ProjectionStatus } from './projections-status';

function status(overrides: Partial<ProjectionStatus> & Pick<ProjectionStatus, 'name' | 'version'>): ProjectionStatus {
  return {
    serving: true,
    schema: `rm_${overrides.name}_v${overrides.version}`,
    state: 'caught_up',
    checkpoint: { commit: 900n, prepare: 900n },
    head: { commit: 900n, prepare: 900n },
    lagEvents: 0,
    lagEventsExact: true,
    lagSeconds: 0,
    eventsPerSecond: 0,
    eventsApplied: 0,
    lastEventRecordedAt: null,
    lastCommittedAt: null,
    caughtUpAt: null,
    retiredAt: null,
    tablesDroppedAt: null,
    error: null,
    runner: null,
    ...overrides,
  };
}

/** The sample lines of the scrape, without HELP and TYPE. */
async function samples(registry: Registry): Promise<string[]> {
  return (await registry.metrics()).split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

describe('ProjectionMetrics', () => {
  it('reports each version that is not retired, labelled by projection and version, with one state series per state', async () => {
    const registry = new Registry();
    const statuses = [
      status({ name: 'opportunities', version: 14, eventsApplied: 1200, lastCommittedAt: new Date('2026-12-04T10:00:00.500Z') }),
      status({ name: 'opportunities', version: 15, serving: false, state: 'rebuilding', lagEvents: 350, lagSeconds: 42.5, eventsPerSecond: 9000, eventsApplied: 850 }),
      status({ name: 'opportunities', version: 13, serving: false, state: 'retired', lagEvents: null, lagSeconds: null }),
    ];
    const metrics = new ProjectionMetrics(registry, { list: () => Promise.resolve(statuses) });

    await metrics.refresh();

    const lines = await samples(registry);
    expect(lines).toEqual(
      expect.arrayContaining([
        'revops_projections_status_up 1',
        'revops_projection_serving{projection="opportunities",version="14"} 1',
        'revops_projection_serving{projection="opportunities",version="15"} 0',
        'revops_projection_state{projection="opportunities",version="14",state="caught_up"} 1',
        'revops_projection_state{projection="opportunities",version="14",state="rebuilding"} 0',
        'revops_projection_state{projection="opportunities",version="15",state="rebuilding"} 1',
        'revops_projection_state{projection="opportunities",version="15",state="stalled"} 0',
        'revops_projection_lag_events{projection="opportunities",version="15"} 350',
        'revops_projection_lag_seconds{projection="opportunities",version="15"} 42.5',
        'revops_projection_events_per_second{projection="opportunities",version="15"} 9000',
        'revops_projection_events_applied{projection="opportunities",version="14"} 1200',
        'revops_projection_last_commit_timestamp_seconds{projection="opportunities",version="14"} 1796378400.5',
      ]),
    );
    expect(lines.filter((line) => line.startsWith('revops_projection_state{'))).toHaveLength(8);
    expect(lines.some((line) => line.includes('version="13"'))).toBe(false);
    // Never committed: no timestamp rather than 1970.
    expect(lines.some((line) => line.startsWith('revops_projection_last_commit_timestamp_seconds{projection="opportunities",version="15"}'))).toBe(false);
  });

  it('leaves out a lag it could not count instead of reporting it as none', async () => {
    const registry = new Registry();
    const metrics = new ProjectionMetrics(registry, {
      list: () => Promise.resolve([status({ name: 'contacts', version: 3, state: 'running', lagEvents: null, lagSeconds: null, head: null })]),
    });

    await metrics.refresh();

    const lines = await samples(registry);
    expect(lines).toContain('revops_projection_state{projection="contacts",version="3",state="running"} 1');
    expect(lines.some((line) => line.startsWith('revops_projection_lag_'))).toBe(false);
  });

  it('says the status is down and reports no version when the read store cannot be read, and recovers at the next scrape', async () => {
    const registry = new Registry();
    let readStoreUp = true;
    const metrics = new ProjectionMetrics(registry, {
      list: () => (readStoreUp ? Promise.resolve([status({ name: 'pipelines', version: 3 })]) : Promise.reject(new Error('connection refused'))),
    });
    await metrics.refresh();
    expect(await samples(registry)).toContain('revops_projection_serving{projection="pipelines",version="3"} 1');

    readStoreUp = false;
    await metrics.refresh();
    const down = await samples(registry);
    expect(down).toContain('revops_projections_status_up 0');
    expect(down.some((line) => line.startsWith('revops_projection_'))).toBe(false);

    readStoreUp = true;
    await metrics.refresh();
    const back = await samples(registry);
    expect(back).toContain('revops_projections_status_up 1');
    expect(back).toContain('revops_projection_serving{projection="pipelines",version="3"} 1');
  });
});
