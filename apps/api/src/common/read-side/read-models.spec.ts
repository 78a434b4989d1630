import type { DataSource } from 'typeorm';
import { ProjectionBookkeeping, ProjectionSignals, ReadYourWrites, ServingVersions } from '@revops/projections';
import { ReadModels } from './read-models';

/** Serving versions as the bookkeeping tables would hold them: opportunities v3 serves, accounts never caught up. */
function readModels(): ReadModels {
  const bookkeeping = {
    serving: async (name: string) => (name === 'opportunities' ? { version: 3, schemaName: 'rm_opportunities_v3', checkpoint: null } : null),
  } as unknown as ProjectionBookkeeping;
  const signals = new ProjectionSignals();
  return new ReadModels({} as DataSource, new ServingVersions(bookkeeping, signals), {} as ReadYourWrites);
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
