import { Logger } from '@nestjs/common';
import { allProjections, attributionProjection, opportunitiesProjection, Projections, projectionSchema, schemaNameOf, servingDefinition, type Projection } from '@revops/projections';
import { OpenDealTotalsSum } from '../libs/projections/src/opportunities/opportunities.projection';
import { checksumsOfSchema, eventually, FAST_RUNNER } from '../libs/projections/src/runner/testing/fixtures';
import { useProjectionStores, type ProjectionStores } from './support/projection-stores';
import { writeSalesHistory } from './support/sales-history';

jest.setTimeout(120_000);

/** Every read model under another name, so two sets of them share one read store. */
const renamed = (suffix: string): Projection[] => allProjections.map((projection) => ({ ...projection, name: `${projection.name}${suffix}` }));

describe('Read models kept up event by event and rebuilt from the log', () => {
  let stores: ProjectionStores;
  const running: Projections[] = [];

  function startProjections(projections: readonly Projection[]): Projections {
    const readStore = { url: stores.postgres.url, embedded: stores.postgres.embedded };
    const instance = new Projections({ store: stores.store, sql: stores.sql }, { projections, readStore, runner: FAST_RUNNER });
    instance.start();
    running.push(instance);
    return instance;
  }

  beforeAll(async () => {
    Logger.overrideLogger(false);
    stores = await useProjectionStores();
  });

  afterAll(async () => {
    await Promise.all(running.map((instance) => instance.stop()));
    await stores?.close();
  });

  it('hold the very same rows, though a rebuild adds up its totals only once, at the end', async () => {
    // Started on an empty log, these serve at once and apply the history batch by batch as it
    // is written, moving their totals with every batch.
    const live = renamed('_live');
    const keptUp = startProjections(live);
    await eventually(
      () => stores.sql.query<{ serving: number }>('SELECT count(*)::int AS serving FROM projection_serving WHERE projection_name = ANY($1)', [
        live.map(({ name }) => name),
      ]),
      ([row]) => row.serving === live.length,
      'every live read model serves',
    );
    const history = await writeSalesHistory(stores.store);

    // Started afterwards, these rebuild from the log and take over only once caught up.
    const rebuilt = renamed('_rebuilt');
    const summedTotals = jest.spyOn(OpenDealTotalsSum.prototype, 'take');
    const rebuilding = startProjections(rebuilt);
    for (const { name } of allProjections) {
      await keptUp.readYourWrites.waitForPosition(`${name}_live`, history.last, 60_000);
      await rebuilding.readYourWrites.waitForPosition(`${name}_rebuilt`, history.last, 60_000);
    }

    // The rebuild's open-deal totals are those its batches added up, not summed from the stored changes.
    expect(
      summedTotals.mock.results.some(({ value }) => {
        const taken = value as ReturnType<OpenDealTotalsSum['take']>;
        return taken !== undefined && taken.totals.length > 0 && taken.ownerTotals.length > 0;
      }),
    ).toBe(true);
    summedTotals.mockRestore();
    for (const { name, version } of allProjections) {
      const keptUpTables = await checksumsOfSchema(stores.sql, schemaNameOf(`${name}_live`, version));
      expect(Object.keys(keptUpTables).length).toBeGreaterThan(0);
      expect({ name, tables: await checksumsOfSchema(stores.sql, schemaNameOf(`${name}_rebuilt`, version)) }).toEqual({
        name,
        tables: keptUpTables,
      });
    }
    // The indexes and keys left to the end of the catch-up or of the finish are built: the
    // rebuilt tables have every index and key their definition gives them.
    const indexes = async (schema: string) =>
      (
        await stores.sql.query<{ definition: string }>(
          `SELECT replace(indexdef, $1, 'rm') AS definition FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname`,
          [schema],
        )
      ).map((row) => row.definition);
    const constraints = async (schema: string) =>
      (
        await stores.sql.query<{ definition: string }>(
          `SELECT format('%s %s %s', c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)) AS definition
             FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
            WHERE n.nspname = $1 ORDER BY 1`,
          [schema],
        )
      ).map((row) => row.definition.replaceAll(schema, 'rm'));
    for (const projection of allProjections) {
      const defined = projectionSchema(`${projection.name}_defined`, projection.version);
      await stores.sql.query(`CREATE SCHEMA ${defined.name}`);
      for (const statement of servingDefinition(projection, defined)) await stores.sql.query(statement);
      const definedIndexes = await indexes(defined.name);
      expect(definedIndexes.length).toBeGreaterThan(0);
      const rebuilt = schemaNameOf(`${projection.name}_rebuilt`, projection.version);
      expect({ name: projection.name, indexes: await indexes(rebuilt), constraints: await constraints(rebuilt) }).toEqual({
        name: projection.name,
        indexes: definedIndexes,
        constraints: await constraints(defined.name),
      });
    }
    const [totals] = await stores.sql.query<{ open: number; owners: number; credits: number }>(
      `SELECT (SELECT count(*)::int FROM ${schemaNameOf('opportunities_rebuilt', opportunitiesProjection.version)}.open_deal_totals) AS open,
              (SELECT count(*)::int FROM ${schemaNameOf('opportunities_rebuilt', opportunitiesProjection.version)}.open_deal_owner_totals) AS owners,
              (SELECT count(*)::int FROM ${schemaNameOf('attribution_rebuilt', attributionProjection.version)}.credit_totals) AS credits`,
    );
    expect(totals.open).toBeGreaterThan(0);
    expect(totals.owners).toBeGreaterThan(0);
    expect(totals.credits).toBeGreaterThan(0);
  });
});
