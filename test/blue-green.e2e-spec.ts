import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { EventStore } from '@revops/event-store';
import {
  allProjections,
  opportunitiesProjection,
  Projections,
  ReadYourWrites,
  typeOrmReadStore,
  type ProjectionStatus,
  type ReadStoreSql,
} from '@revops/projections';
import { openReadStore } from '@revops/read-models';
import type { DataSource } from 'typeorm';
import { startApi, type RunningApi } from '../apps/api/src/bootstrap';
import { eventually, FAST_RUNNER } from '../libs/projections/src/runner/testing/fixtures';
import { graphqlClient, type GraphqlResponse } from './support/graphql-client';
import { usePostgres, type PostgresHandle } from './support/postgres';
import { writeSalesHistory } from './support/sales-history';

jest.setTimeout(60_000);

interface VersionView {
  version: number;
  serving: boolean;
  state: string;
  schema: string;
}

interface Answer {
  versions: GraphqlResponse<{ projections: VersionView[] }>;
  deals: GraphqlResponse<{ opportunities: unknown }>;
}

const VERSIONS = 'query { projections(name: "opportunities") { name version serving state schema lagEvents } }';
const DEALS = `query {
  opportunities(first: 500, orderBy: { field: NAME, direction: ASC }) {
    totalCount
    edges { node { id name accountId pipelineId stageId status ownerId amount { amountMinor currency } wonAmount { amountMinor currency }
                   lossReason openedAt closedAt stageHistory { stageId } contacts { contactId role } } }
  }
}`;

describe('A version bump of a read model', () => {
  let postgres: PostgresHandle;
  let dataDir: string;
  let api: RunningApi;
  let store: EventStore;
  let dataSource: DataSource;
  let sql: ReadStoreSql;
  let rebuild: Projections | undefined;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    postgres = await usePostgres();
    dataDir = await mkdtemp(join(tmpdir(), 'revops-blue-green-'));
    // The event store embedded in the api; the read store this test can reach as well.
    api = await startApi({ PORT: '0', DATA_DIR: dataDir, DATABASE_URL: postgres.url, LOG_LEVEL: 'warn', NODE_ENV: 'test' });
    store = new EventStore({ connectionString: api.runtime.eventStore.connectionString });
    dataSource = await openReadStore({ url: postgres.url, embedded: postgres.embedded });
    sql = typeOrmReadStore(dataSource);
  });

  afterAll(async () => {
    await rebuild?.stop();
    await store?.close();
    await dataSource?.destroy();
    await api?.close();
    await postgres?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('rebuilds into new tables while queries keep answering from the old version, then switches to the new one', async () => {
    const send = graphqlClient(api.url);
    const history = await writeSalesHistory(store);
    for (const { name } of allProjections) await api.app.get(ReadYourWrites).waitForPosition(name, history.last, 30_000);
    const before = await send<{ projections: VersionView[] }>(VERSIONS);
    const expected = (await send(DEALS)).data;
    const old = before.data!.projections.find(({ serving }) => serving)!;

    // The next version, deployed beside the api with small batches: the rebuild takes a while.
    rebuild = new Projections(
      { store, sql },
      {
        projections: [{ ...opportunitiesProjection, version: old.version + 1 }],
        readStore: { url: postgres.url, embedded: postgres.embedded },
        runner: { ...FAST_RUNNER, maxBatchSize: 2, retiredTablesGraceMs: 3_000 },
      },
    );
    rebuild.start();
    const answers: Answer[] = [];
    const rebuilt = rebuild;
    const statusOf = async (version: number): Promise<ProjectionStatus | undefined> =>
      (await rebuilt.status.list('opportunities')).find((status) => status.version === version);
    let settled = false;
    const oldTablesDropped = eventually(
      () => statusOf(old.version),
      (status) => status?.tablesDroppedAt != null,
      'the old tables are dropped',
      30_000,
    ).finally(() => (settled = true));
    // Queries in a loop until the old tables are gone, and a few more after.
    let more = 5;
    while (!settled || more-- > 0) answers.push({ versions: await send(VERSIONS), deals: await send(DEALS) });
    await oldTablesDropped;

    const servedBy = answers.map(({ versions }) => versions.data?.projections.filter(({ serving }) => serving).map(({ version }) => version));
    const switchedAt = servedBy.findIndex((versions) => versions?.[0] === old.version + 1);
    const whileRebuilding = answers
      .slice(0, switchedAt)
      .filter(({ versions }) => versions.data?.projections.some(({ version, state }) => version === old.version + 1 && state === 'REBUILDING'));

    expect(before.errors).toBeUndefined();
    expect(expected).toMatchObject({ opportunities: { totalCount: history.opportunityIds.length } });
    expect(answers.flatMap(({ versions, deals }) => [...(versions.errors ?? []), ...(deals.errors ?? [])])).toEqual([]);
    // Every answer has every deal as it stands: never a half-built table.
    expect(answers.filter(({ deals }) => JSON.stringify(deals.data) !== JSON.stringify(expected))).toEqual([]);
    expect(whileRebuilding.length).toBeGreaterThanOrEqual(3);
    expect(servedBy.slice(0, switchedAt).every((versions) => versions?.length === 1 && versions[0] === old.version)).toBe(true);
    expect(servedBy.slice(switchedAt).every((versions) => versions?.length === 1 && versions[0] === old.version + 1)).toBe(true);
    expect(answers.at(-1)?.versions.data?.projections).toMatchObject([
      { version: old.version, serving: false, state: 'RETIRED', schema: old.schema },
      { version: old.version + 1, serving: true, schema: `rm_opportunities_v${old.version + 1}` },
    ]);
    // The api does not run the new version, so it cannot count its lag: its own runner can.
    expect(await statusOf(old.version + 1)).toMatchObject({ state: 'caught_up', serving: true, lagEvents: 0 });
    // The old schema is gone, so the last answers came from the new version's tables.
    expect(await sql.query(`SELECT to_regnamespace($1)::text AS schema`, [old.schema])).toEqual([{ schema: null }]);
  });
});
