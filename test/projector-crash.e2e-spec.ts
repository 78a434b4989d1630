import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { allProjections, Projections, projectionSchema, schemaNameOf, type Projection } from '@revops/projections';
import { checksumsOfSchema, FAST_RUNNER } from '../libs/projections/src/runner/testing/fixtures';
import { firstLine, spawnTypeScript, stopChild } from './support/child-process';
import { useProjectionStores, type ProjectionStores } from './support/projection-stores';
import type { HeldBatch } from './support/projector-process';
import { writeSalesHistory } from './support/sales-history';

jest.setTimeout(60_000);

const CLEAN = '_clean';
const opportunities = allProjections.find(({ name }) => name === 'opportunities')!;
const opportunitiesTable = projectionSchema(opportunities.name, opportunities.version).table('opportunities');

describe('The projector over the real read models', () => {
  let stores: ProjectionStores;
  const children: ChildProcess[] = [];
  const running: Projections[] = [];

  /**
   * The projector process over `allProjections`, with batches of ten events. It loads its code
   * at once and connects when `start` is called, so loading overlaps the test's other work.
   */
  function loadProjector(hold: { projection: string; inBatch: number } | null): { process: ChildProcess; start(): void } {
    const child = spawnTypeScript(join(__dirname, 'support', 'projector-process.ts'), {
      DATABASE_URL: stores.postgres.url,
      EMBEDDED: String(stores.postgres.embedded),
      EVENTSTORE_URL: stores.eventStore.connectionString,
      MAX_BATCH_SIZE: '10',
      START_ON_STDIN: 'true',
      ...(hold ? { HOLD_PROJECTION: hold.projection, HOLD_IN_BATCH: String(hold.inBatch) } : {}),
    });
    children.push(child);
    return { process: child, start: () => child.stdin?.write('start\n') };
  }

  function startProjections(projections: readonly Projection[], run: boolean): Projections {
    const readStore = { url: stores.postgres.url, embedded: stores.postgres.embedded };
    const instance = new Projections({ store: stores.store, sql: stores.sql }, { projections, readStore, run, runner: FAST_RUNNER });
    instance.start();
    running.push(instance);
    return instance;
  }

  async function checkpointOf(name: string): Promise<{ commit: bigint; eventsApplied: number } | undefined> {
    const [row] = await stores.sql.query<{ commit_position: string | null; events_applied: string }>(
      `SELECT c.commit_position, v.events_applied FROM projection_checkpoints c
         JOIN projection_versions v USING (projection_name, projection_version)
        WHERE c.projection_name = $1`,
      [name],
    );
    return row && { commit: BigInt(row.commit_position ?? -1), eventsApplied: Number(row.events_applied) };
  }

  beforeAll(async () => {
    Logger.overrideLogger(false);
    stores = await useProjectionStores();
  });

  afterAll(async () => {
    await Promise.all(children.map((child) => stopChild(child, 'SIGKILL')));
    await Promise.all(running.map((instance) => instance.stop()));
    await stores?.close();
  });

  describe('when killed with SIGKILL in the middle of a batch, then restarted', () => {
    it('leaves every table of every read model identical to a clean rebuild', async () => {
      const crashing = loadProjector({ projection: 'opportunities', inBatch: 4 });
      const restarted = loadProjector(null);
      const history = await writeSalesHistory(stores.store);
      crashing.start();

      // The fourth batch of opportunities is written and its transaction open: kill -9 now.
      const held = JSON.parse((await firstLine(crashing.process, /^holding /, 30_000)).slice('holding '.length)) as HeldBatch;
      await stopChild(crashing.process, 'SIGKILL');

      const heldFrom = BigInt(held.events[0].commit);
      const heldTo = BigInt(held.events[held.events.length - 1].commit);
      const afterKill = await checkpointOf('opportunities');
      const leftRows = await stores.sql.query<{ stream_name: string; stream_revision: string }>(
        `SELECT 'opportunity-' || opportunity_id AS stream_name, stream_revision::text AS stream_revision FROM ${opportunitiesTable}`,
      );
      const revisionOf = new Map(leftRows.map((row) => [row.stream_name, BigInt(row.stream_revision)]));

      expect(held).toMatchObject({ projection: 'opportunities', batch: 4 });
      expect(held.events.length).toBeGreaterThan(0);
      // Three batches committed with their checkpoint; the fourth rolled back with its rows.
      expect(afterKill?.eventsApplied).toBeGreaterThanOrEqual(3);
      expect(afterKill!.commit).toBeLessThan(heldFrom);
      for (const event of held.events) {
        expect(revisionOf.get(event.streamName) ?? -1n).toBeLessThan(BigInt(event.revision));
      }

      const clean = startProjections(
        allProjections.map((projection) => ({ ...projection, name: `${projection.name}${CLEAN}` })),
        true,
      );
      restarted.start();
      await firstLine(restarted.process, /^started$/, 30_000);
      const observer = startProjections(allProjections, false);
      for (const { name } of allProjections) {
        await observer.readYourWrites.waitForPosition(name, history.last, 30_000);
        await clean.readYourWrites.waitForPosition(`${name}${CLEAN}`, history.last, 30_000);
      }
      await stopChild(restarted.process, 'SIGTERM');

      const afterRestart = await checkpointOf('opportunities');
      expect(afterRestart!.commit).toBeGreaterThanOrEqual(heldTo);
      expect(afterRestart?.eventsApplied).toBe((await checkpointOf(`opportunities${CLEAN}`))?.eventsApplied);
      expect(await stores.sql.query(`SELECT count(*)::int AS deals FROM ${opportunitiesTable}`)).toEqual([
        { deals: history.opportunityIds.length },
      ]);
      for (const { name, version } of allProjections) {
        const restartedTables = await checksumsOfSchema(stores.sql, schemaNameOf(name, version));
        expect(Object.keys(restartedTables).length).toBeGreaterThan(0);
        expect({ name, tables: restartedTables }).toEqual({ name, tables: await checksumsOfSchema(stores.sql, schemaNameOf(`${name}${CLEAN}`, version)) });
      }
    });
  });
});
