import type { DataSource } from 'typeorm';
import type { AppConfig } from '@revops/platform';
import { ProjectionBookkeeping, ProjectionSignals, Projections, ReadYourWrites, ServingVersions, type ServingState } from '@revops/projections';
import type { ApiRuntime } from '../../api-runtime';
import { ReadModels, type ReadModelView } from './read-models';

/** Serving versions as the bookkeeping tables would hold them: opportunities v3 serves, accounts never caught up. */
function readModels(): ReadModels {
  const bookkeeping = {
    serving: async (name: string) => (name === 'opportunities' ? { version: 3, schemaName: 'rm_opportunities_v3', checkpoint: null } : null),
  } as unknown as ProjectionBookkeeping;
  const signals = new ProjectionSignals();
  return new ReadModels({} as DataSource, new ServingVersions(bookkeeping, signals), {} as ReadYourWrites, {} as Projections);
}

/** Read models whose serving states the test moves, with a cache of `entries` answers. */
function reporting(entries: number) {
  const states: ServingState[] = [
    { name: 'opportunities', version: 4, schemaName: 'rm_opportunities_v4', checkpoint: { commit: 10n, prepare: 10n } },
    { name: 'pipelines', version: 2, schemaName: 'rm_pipelines_v2', checkpoint: { commit: 8n, prepare: 8n } },
  ];
  const bookkeeping = {
    servingStates: async (names: readonly string[]) => states.filter((state) => names.includes(state.name)),
    serving: async (name: string) => states.find((state) => state.name === name) ?? null,
  } as unknown as ProjectionBookkeeping;
  const runtime = { config: { reportCacheEntries: entries } as AppConfig } as ApiRuntime;
  const models = new ReadModels(
    {} as DataSource,
    new ServingVersions(bookkeeping, new ProjectionSignals(), 0),
    {} as ReadYourWrites,
    { bookkeeping } as unknown as Projections,
    runtime,
  );
  let computed = 0;
  const tables: string[] = [];
  const compute = async (view: ReadModelView) => {
    computed++;
    tables.push(view.table('opportunities', 'deal_closes'));
    return { answer: computed };
  };
  const ask = (args: unknown) => models.report('salesMetrics', args, ['opportunities', 'pipelines'], undefined, compute);
  return { states, ask, computed: () => computed, tables, models };
}

describe('ReadModels', () => {
  it("names the serving version's tables", async () => {
    const view = await readModels().open(['opportunities']);

    expect(view.table('opportunities', 'opportunity_stage_history')).toBe('"rm_opportunities_v3"."opportunity_stage_history"');
  });

  describe('when one of the read models has not caught up yet', () => {
    it('still opens, and refuses only the tables of that read model', async () => {
      const view = await readModels().open(['opportunities', 'accounts']);

      expect(view.table('opportunities', 'opportunities')).toBe('"rm_opportunities_v3"."opportunities"');
      expect(() => view.table('accounts', 'accounts')).toThrow('No version of projection accounts has caught up yet');
    });
  });

  it('refuses a table of a read model the query did not open', async () => {
    const view = await readModels().open(['opportunities']);

    expect(() => view.table('contacts', 'contacts')).toThrow('Projection contacts was not opened for this query');
  });
});

describe('ReadModels.report', () => {
  const args = { from: '2024-01-01T00:00:00.000Z', to: '2024-04-01T00:00:00.000Z', pipelineId: 'pl-1' };

  it('answers the same report and arguments again from the answer it kept while no read model moved', async () => {
    const reports = reporting(10);

    const first = await reports.ask(args);
    const again = await reports.ask({ ...args });

    expect(again).toBe(first);
    expect(reports.computed()).toBe(1);
  });

  it('shares one computation between requests that arrive together', async () => {
    const reports = reporting(10);

    const answers = await Promise.all([reports.ask(args), reports.ask(args), reports.ask(args)]);

    expect(new Set(answers).size).toBe(1);
    expect(reports.computed()).toBe(1);
  });

  it('computes afresh once a checkpoint has moved, or for other arguments', async () => {
    const reports = reporting(10);
    await reports.ask(args);

    reports.states[1] = { ...reports.states[1], checkpoint: { commit: 9n, prepare: 9n } };
    expect(await reports.ask(args)).toEqual({ answer: 2 });
    expect(await reports.ask({ ...args, pipelineId: 'pl-2' })).toEqual({ answer: 3 });
    expect(await reports.ask(args)).toEqual({ answer: 2 });
  });

  it('reads the tables of the version the answer is kept under, from the moment a new one serves', async () => {
    const reports = reporting(10);
    await reports.ask(args);

    reports.states[0] = { name: 'opportunities', version: 5, schemaName: 'rm_opportunities_v5', checkpoint: { commit: 10n, prepare: 10n } };
    await reports.ask(args);

    expect(reports.tables).toEqual(['"rm_opportunities_v4"."deal_closes"', '"rm_opportunities_v5"."deal_closes"']);
  });

  it('keeps no failed answer', async () => {
    const reports = reporting(10);
    let attempts = 0;
    const failOnce = async () => {
      if (++attempts === 1) throw new Error('connection reset');
      return 'answered';
    };

    await expect(reports.models.report('funnel', args, ['opportunities'], undefined, failOnce)).rejects.toThrow('connection reset');
    await expect(reports.models.report('funnel', args, ['opportunities'], undefined, failOnce)).resolves.toBe('answered');
  });

  it('keeps nothing with REPORT_CACHE_ENTRIES=0, nor while a read model it reads serves no version yet', async () => {
    const off = reporting(0);
    await off.ask(args);
    await off.ask(args);
    expect(off.computed()).toBe(2);

    const notReady = reporting(10);
    notReady.states.splice(1, 1);
    await notReady.ask(args).catch(() => undefined);
    await notReady.ask(args).catch(() => undefined);
    expect(notReady.computed()).toBe(2);
  });
});
