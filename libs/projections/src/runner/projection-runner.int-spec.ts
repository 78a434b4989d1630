import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { EventStore, EventStoreModule, SharedCatchUp, type AllFeed, type Position, type SubscribeToAllOptions } from '@revops/event-store';
import { openReadStore, ReadStoreModule } from '@revops/read-models';
import type { DataSource } from 'typeorm';
import { useEventStore, type EventStoreHandle } from '../../../../test/support/event-store';
import { usePostgres, type PostgresHandle } from '../../../../test/support/postgres';
import { primaryKeyAfterCatchUp, projectionSchema, type Projection } from './projection';
import { Projections, type ProjectionsOptions } from './projections';
import { ProjectionsStatus, type ProjectionStatus } from './projections-status';
import { ProjectionsModule } from './projections.module';
import { ReadYourWrites } from './read-your-writes';
import { typeOrmReadStore, type ReadStoreSql } from './read-store-sql';
import {
  appendEvents,
  checksumOf,
  countsIn,
  eventually,
  expectedCounts,
  FAST_RUNNER,
  uniqueCategory,
  type Written,
} from './testing/fixtures';
import { streamCountsProjection } from './testing/stream-counts.writer';

jest.setTimeout(60_000);

describe('ProjectionRunner against the event-store dev server and PostgreSQL', () => {
  let eventStore: EventStoreHandle;
  let postgres: PostgresHandle;
  let dataSource: DataSource;
  let sql: ReadStoreSql;
  let store: EventStore;
  const running: Projections[] = [];

  function startProjections(projections: Projection[], options: Partial<ProjectionsOptions> = {}): Projections {
    const instance = new Projections(
      { store, sql },
      { projections, readStore: { url: postgres.url, embedded: postgres.embedded }, runner: FAST_RUNNER, ...options },
    );
    instance.start();
    running.push(instance);
    return instance;
  }

  async function stopProjections(instance: Projections): Promise<void> {
    running.splice(running.indexOf(instance), 1);
    await instance.stop();
  }

  async function statusOf(instance: Projections, name: string, version = 1): Promise<ProjectionStatus | undefined> {
    return (await instance.status.list(name)).find((status) => status.version === version);
  }

  function lastPosition(written: readonly Written[]): Position {
    return written[written.length - 1].position;
  }

  beforeAll(async () => {
    // Stalls and retries are logged as errors and warnings on purpose; the assertions say what matters.
    Logger.overrideLogger(false);
    [eventStore, postgres] = await Promise.all([useEventStore(), usePostgres()]);
    dataSource = await openReadStore({ url: postgres.url, embedded: postgres.embedded });
    sql = typeOrmReadStore(dataSource);
    store = new EventStore({ connectionString: eventStore.connectionString });
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((instance) => instance.stop()));
  });

  afterAll(async () => {
    await store?.close();
    await dataSource?.destroy();
    await Promise.all([postgres?.stop(), eventStore?.stop()]);
  });

  describe('when events are appended before and after it starts', () => {
    it('applies each exactly once, in batches, and resumes from its checkpoint after a restart', async () => {
      const category = uniqueCategory('counted');
      const projection = streamCountsProjection({ name: 'counts_once', consumes: { streamNamePrefixes: [`${category}-`] } });
      const before = await appendEvents(store, category, 60);
      // Events of other categories pass through the log without reaching the projection.
      await appendEvents(store, uniqueCategory('other'), 5);

      const first = startProjections([projection]);
      await first.readYourWrites.waitForPosition('counts_once', lastPosition(before), 10_000);
      const after = await appendEvents(store, category, 20);
      await first.readYourWrites.waitForPosition('counts_once', lastPosition(after), 10_000);

      expect(await countsIn(sql, 'rm_counts_once_v1')).toEqual(expectedCounts([...before, ...after]));
      const applied = await statusOf(first, 'counts_once');
      expect(applied).toMatchObject({ eventsApplied: 80, checkpoint: lastPosition(after), serving: true });
      expect(first.runners.get('counts_once', 1)?.checkpoint).toEqual(lastPosition(after));

      await stopProjections(first);
      const whileStopped = await appendEvents(store, category, 15);
      const second = startProjections([projection]);
      await second.readYourWrites.waitForPosition('counts_once', lastPosition(whileStopped), 10_000);

      expect(await countsIn(sql, 'rm_counts_once_v1')).toEqual(expectedCounts([...before, ...after, ...whileStopped]));
      expect(await statusOf(second, 'counts_once')).toMatchObject({ eventsApplied: 95, state: 'caught_up' });
    });
  });

  describe('when several versions catch up together', () => {
    it('reads $all once for all of them, each applying exactly what its filter passes', async () => {
      const deals = uniqueCategory('shareda');
      const leads = uniqueCategory('sharedb');
      const dealEvents = await appendEvents(store, deals, 40);
      const leadEvents = await appendEvents(store, leads, 25);
      const asked: Array<Position | 'start' | 'end'> = [];
      const counting = new Proxy(store, {
        get(target, property) {
          if (property === 'subscribeToAll') {
            return (options: SubscribeToAllOptions) => {
              asked.push(options.from);
              return target.subscribeToAll(options);
            };
          }
          const value: unknown = Reflect.get(target, property);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const both = [
        streamCountsProjection({ name: 'counts_shared_a', consumes: { streamNamePrefixes: [`${deals}-`] } }),
        streamCountsProjection({ name: 'counts_shared_b', consumes: { streamNamePrefixes: [`${leads}-`] } }),
        streamCountsProjection({ name: 'counts_shared_ab', consumes: { streamNamePrefixes: [`${deals}-`, `${leads}-`] } }),
      ];
      // A gathering window long enough for every runner to register, however slow the machine.
      const feed = new SharedCatchUp(counting, { gatherMs: 2_000 });
      const instance = new Projections({ store, sql, feed }, { projections: both, readStore: { url: postgres.url, embedded: postgres.embedded }, runner: FAST_RUNNER });
      instance.start();
      running.push(instance);
      const head = lastPosition(leadEvents);
      for (const { name } of both) await instance.readYourWrites.waitForPosition(name, head, 20_000);

      expect(await countsIn(sql, 'rm_counts_shared_a_v1')).toEqual(expectedCounts(dealEvents));
      expect(await countsIn(sql, 'rm_counts_shared_b_v1')).toEqual(expectedCounts(leadEvents));
      expect(await countsIn(sql, 'rm_counts_shared_ab_v1')).toEqual(expectedCounts([...dealEvents, ...leadEvents]));
      // One read from the start for all three; then each follows alone from where it ended.
      expect(asked.filter((from) => from === 'start')).toHaveLength(1);
      expect(asked).toHaveLength(4);
    });
  });

  describe('when stopped', () => {
    it('lets the batch in flight commit with its checkpoint and starts no other', async () => {
      const category = uniqueCategory('stopped');
      const written = await appendEvents(store, category, 60);
      let inBatch: (size: number) => void = () => undefined;
      const entered = new Promise<number>((resolve) => (inBatch = resolve));
      const projection = streamCountsProjection({
        name: 'counts_stop',
        consumes: { streamNamePrefixes: [`${category}-`] },
        afterWrite: async (batch) => {
          inBatch(batch.length);
          await new Promise((resolve) => setTimeout(resolve, 200));
        },
      });
      const instance = startProjections([projection]);
      const size = await entered;

      await stopProjections(instance);

      const [row] = await sql.query<{ events_applied: string; commit_position: string }>(
        `SELECT v.events_applied, c.commit_position FROM projection_versions v
           JOIN projection_checkpoints c USING (projection_name, projection_version)
          WHERE projection_name = 'counts_stop'`,
      );
      expect(Number(row.events_applied)).toBe(size);
      expect(size).toBeLessThan(written.length);
      const [{ counted }] = await sql.query<{ counted: number }>('SELECT sum(events)::int AS counted FROM rm_counts_stop_v1.stream_counts');
      expect(counted).toBe(size);
      expect(instance.runners.get('counts_stop', 1)?.state).toBe('stopped');
    });
  });

  describe('memory between batches', () => {
    it('holds what the committed batches kept, and nothing after a batch that did not commit', async () => {
      const category = uniqueCategory('kept');
      const counts = streamCountsProjection({ name: 'counts_kept', consumes: { streamNamePrefixes: [`${category}-`] } });
      // Each batch keeps the number of events counted with it, and notes what it found kept beside what had committed.
      const found: { kept: number | null; committed: number }[] = [];
      let failed = false;
      const projection: Projection = {
        ...counts,
        apply: async (batch, tx) => {
          const [{ committed }] = await tx.query<{ committed: number }>(
            `SELECT coalesce(sum(events), 0)::int AS committed FROM ${tx.schema.table('stream_counts')}`,
          );
          found.push({ kept: tx.memory.get<{ events: number }>('events')?.events ?? null, committed });
          tx.memory.keep('events', { events: committed + batch.length });
          await counts.apply(batch, tx);
          if (committed > 0 && !failed) {
            failed = true;
            throw new Error('the second batch does not commit the first time');
          }
        },
      };
      const written = await appendEvents(store, category, 100);

      const instance = startProjections([projection]);
      await instance.readYourWrites.waitForPosition('counts_kept', lastPosition(written), 10_000);

      expect((await countsIn(sql, 'rm_counts_kept_v1')).reduce((sum, row) => sum + row.events, 0)).toBe(100);
      const what = found.map(({ kept, committed }) => (kept === null ? 'nothing' : kept === committed ? 'committed' : `${kept} of ${committed}`));
      // The first batch finds nothing; the second what the first kept; its retry nothing, as the
      // failed attempt's keeping did not commit; every later batch what committed before it.
      expect(what.slice(0, 3)).toEqual(['nothing', 'committed', 'nothing']);
      expect(what.length).toBeGreaterThan(3);
      expect(what.slice(3)).toEqual(what.slice(3).map(() => 'committed'));
    });
  });

  describe('status', () => {
    it('reports lag in events and seconds while behind, then nothing pending, the head and a rate once caught up', async () => {
      const category = uniqueCategory('lagging');
      const projection = streamCountsProjection({ name: 'counts_lag', consumes: { streamNamePrefixes: [`${category}-`] } });
      const first = await appendEvents(store, category, 30);
      const instance = startProjections([projection]);
      await instance.readYourWrites.waitForPosition('counts_lag', lastPosition(first), 10_000);
      await stopProjections(instance);
      const pending = await appendEvents(store, category, 40);
      await appendEvents(store, uniqueCategory('noise'), 10);

      const observer = startProjections([projection], { run: false });
      const behind = await statusOf(observer, 'counts_lag');
      const sampled = startProjections([projection], { run: false, status: { lagScanLimit: 10 } });
      const estimated = await statusOf(sampled, 'counts_lag');

      expect(behind).toMatchObject({
        state: 'running',
        checkpoint: lastPosition(first),
        lagEvents: 40,
        lagEventsExact: true,
        serving: true,
        error: null,
        runner: null,
      });
      expect(behind?.lagSeconds).toBeGreaterThan(0);
      expect(behind?.head).toEqual(await store.headPosition());
      // Ten events sampled of fifty in the log: the rest is extrapolated by position.
      expect(estimated?.lagEventsExact).toBe(false);
      expect(estimated?.lagEvents).toBeGreaterThanOrEqual(25);
      expect(estimated?.lagEvents).toBeLessThanOrEqual(55);

      const resumed = startProjections([projection]);
      await resumed.readYourWrites.waitForPosition('counts_lag', lastPosition(pending), 10_000);
      const caughtUp = await eventually(
        () => statusOf(resumed, 'counts_lag'),
        (status) => status?.runner === 'live',
        'the runner is live',
      );

      expect(caughtUp).toMatchObject({ state: 'caught_up', lagEvents: 0, lagSeconds: 0, eventsApplied: 70 });
      expect(caughtUp?.eventsPerSecond).toBeGreaterThan(0);
      expect(caughtUp?.lastEventRecordedAt).toBeInstanceOf(Date);
    });
  });

  describe('leasing', () => {
    it('lets one runner apply a projection version while a second one waits, and hands over when the first stops', async () => {
      const category = uniqueCategory('leased');
      const projection = streamCountsProjection({ name: 'counts_leased', consumes: { streamNamePrefixes: [`${category}-`] } });
      const holder = startProjections([projection]);
      await eventually(() => holder.runners.get('counts_leased', 1)?.state, (state) => state === 'live', 'the first runner is live');
      const waiting = startProjections([projection]);
      const first = await appendEvents(store, category, 30);
      await holder.readYourWrites.waitForPosition('counts_leased', lastPosition(first), 10_000);

      expect(waiting.runners.get('counts_leased', 1)?.state).toBe('waiting_for_lease');

      await stopProjections(holder);
      await eventually(() => waiting.runners.get('counts_leased', 1)?.state, (state) => state === 'live', 'the second runner takes over');
      const second = await appendEvents(store, category, 30);
      await waiting.readYourWrites.waitForPosition('counts_leased', lastPosition(second), 10_000);

      expect(await countsIn(sql, 'rm_counts_leased_v1')).toEqual(expectedCounts([...first, ...second]));
    });

    // Advisory locks and sessions to cut exist only on a real PostgreSQL (CI runs this suite
    // against one); embedded mode leases within the process, which the test above covers.
    const onRealPostgres = process.env.DATABASE_URL ? it : undefined;
    onRealPostgres?.(
      'stops applying when its lease session is cut, takes the lease again and carries on without a repeat',
      async () => {
        const category = uniqueCategory('cut');
        const projection = streamCountsProjection({ name: 'counts_cut', consumes: { streamNamePrefixes: [`${category}-`] } });
        const instance = startProjections([projection]);
        const first = await appendEvents(store, category, 30);
        await instance.readYourWrites.waitForPosition('counts_cut', lastPosition(first), 10_000);

        const [{ terminated }] = await sql.query<{ terminated: number }>(
          `SELECT count(pg_terminate_backend(pid))::int AS terminated FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = 'revops-projection-leases'`,
        );
        const second = await appendEvents(store, category, 30);
        await instance.readYourWrites.waitForPosition('counts_cut', lastPosition(second), 10_000);

        expect(terminated).toBe(1);
        expect(await countsIn(sql, 'rm_counts_cut_v1')).toEqual(expectedCounts([...first, ...second]));
        const [{ sessions }] = await sql.query<{ sessions: number }>(
          `SELECT count(*)::int AS sessions FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = 'revops-projection-leases'`,
        );
        expect(sessions).toBe(1);
      },
    );
  });

  describe('when a new version is deployed', () => {
    it('rebuilds it beside the serving version, resumes after an interruption, then switches and drops the old tables', async () => {
      const category = uniqueCategory('versioned');
      const consumes = { streamNamePrefixes: [`${category}-`] };
      const v1 = streamCountsProjection({ name: 'counts_bg', version: 1, consumes });
      const history = await appendEvents(store, category, 150, { streams: 7 });
      const old = startProjections([v1]);
      await old.readYourWrites.waitForPosition('counts_bg', lastPosition(history), 10_000);

      // The first rebuild of version 2 is cut short after its third batch.
      let batches = 0;
      const interruption: { projections?: Projections } = {};
      const v2Interrupted = streamCountsProjection({
        name: 'counts_bg',
        version: 2,
        consumes,
        afterWrite: () => {
          if (++batches === 3) void interruption.projections?.runners.get('counts_bg', 2)?.stop();
        },
      });
      const interrupted = startProjections([v2Interrupted]);
      interruption.projections = interrupted;
      await eventually(() => interrupted.runners.get('counts_bg', 2)?.state, (state) => state === 'stopped', 'the rebuild is interrupted');
      const duringRebuild = await statusOf(old, 'counts_bg', 2);
      const servedDuringRebuild = await old.serving.resolve('counts_bg');
      const more = await appendEvents(store, category, 20, { streams: 7 });
      // Reads that wait for a write are answered by version 1 meanwhile.
      await old.readYourWrites.waitForPosition('counts_bg', lastPosition(more), 10_000);
      const answeredByV1 = await countsIn(sql, servedDuringRebuild.schema.name);

      expect(duringRebuild).toMatchObject({ state: 'rebuilding', serving: false });
      expect(duringRebuild?.eventsApplied).toBeGreaterThan(0);
      expect(duringRebuild?.eventsApplied).toBeLessThan(150);
      expect(servedDuringRebuild.version).toBe(1);
      expect(answeredByV1).toEqual(expectedCounts([...history, ...more]));

      // Resumed, the rebuild catches up and takes over; every read meanwhile gets complete rows.
      const v2 = streamCountsProjection({ name: 'counts_bg', version: 2, consumes });
      const resumed = startProjections([v2], { runner: { ...FAST_RUNNER, retiredTablesGraceMs: 500 } });
      const servedBy = await eventually(
        async () => {
          const serving = await resumed.serving.resolve('counts_bg');
          expect(await countsIn(sql, serving.schema.name)).toEqual(expectedCounts([...history, ...more]));
          return serving.version;
        },
        (version) => version === 2,
        'version 2 serves',
      );
      expect(servedBy).toBe(2);
      const statuses = await eventually(
        () => resumed.status.list('counts_bg'),
        (list) => list[0]?.tablesDroppedAt !== null,
        'the tables of version 1 are dropped',
      );

      expect(await countsIn(sql, 'rm_counts_bg_v2')).toEqual(expectedCounts([...history, ...more]));
      expect(statuses.map(({ version, state, serving }) => ({ version, state, serving }))).toEqual([
        { version: 1, state: 'retired', serving: false },
        { version: 2, state: 'caught_up', serving: true },
      ]);
      // Resumed from its own checkpoint: every event counted once across the two runs.
      expect(statuses[1].eventsApplied).toBe(170);
      const [schema] = await sql.query<{ v1: string | null }>(`SELECT to_regnamespace('rm_counts_bg_v1')::text AS v1`);
      expect(schema.v1).toBeNull();
      await eventually(() => old.runners.get('counts_bg', 1)?.state, (state) => state === 'retired', 'the version 1 runner retires');
    });

    it('retires at once an older version deployed after a newer one took over', async () => {
      const category = uniqueCategory('rolledback');
      const consumes = { streamNamePrefixes: [`${category}-`] };
      const written = await appendEvents(store, category, 20);
      const newer = startProjections([streamCountsProjection({ name: 'counts_rollback', version: 2, consumes })]);
      await newer.readYourWrites.waitForPosition('counts_rollback', lastPosition(written), 10_000);

      const older = startProjections([streamCountsProjection({ name: 'counts_rollback', version: 1, consumes })]);
      await eventually(() => older.runners.get('counts_rollback', 1)?.state, (state) => state === 'retired', 'the older version retires');

      expect((await newer.serving.resolve('counts_rollback')).version).toBe(2);
      expect((await statusOf(newer, 'counts_rollback', 1))?.state).toBe('retired');
    });
  });

  describe('when an event cannot be applied', () => {
    const poison = (index: number) => (index === 12 ? -1_000 : 1);

    it('stalls visibly at that event, stays stalled across restarts, and resumes once a fix is deployed', async () => {
      const category = uniqueCategory('poisoned');
      const consumes = { streamNamePrefixes: [`${category}-`] };
      const written = await appendEvents(store, category, 20, { weight: poison, perAppend: 1 });
      const broken = startProjections([streamCountsProjection({ name: 'counts_poison', consumes })]);

      const stalled = await eventually(() => statusOf(broken, 'counts_poison'), (status) => status?.state === 'stalled', 'it stalls');

      expect(stalled?.error).toMatchObject({
        position: written[12].position,
        streamName: written[12].streamName,
        eventType: 'Counted',
        attempts: 2,
      });
      expect(stalled?.error?.error).toContain('stream_counts_weight_not_negative');
      // The events before the poison one, even those of its batch, are applied; none after it.
      expect(stalled?.checkpoint).toEqual(written[11].position);
      expect(await countsIn(sql, 'rm_counts_poison_v1')).toEqual(expectedCounts(written.slice(0, 12)));

      await stopProjections(broken);
      const restarted = startProjections([streamCountsProjection({ name: 'counts_poison', consumes })]);
      await eventually(() => restarted.runners.get('counts_poison', 1)?.state, (state) => state === 'stalled', 'it is still stalled');
      expect((await statusOf(restarted, 'counts_poison'))?.checkpoint).toEqual(written[11].position);
      await stopProjections(restarted);

      // The fix: negative weights count as zero. Same tables, so the same version.
      const fixed = startProjections([streamCountsProjection({ name: 'counts_poison', consumes, clampNegativeWeights: true })]);
      await fixed.admin.resume({ name: 'counts_poison', version: 1 }, { by: 'ops:alice', reason: 'deployed the weight clamp' });
      await fixed.readYourWrites.waitForPosition('counts_poison', lastPosition(written), 10_000);

      const clamped = written.map((event) => ({ ...event, weight: Math.max(0, event.weight) }));
      expect(await countsIn(sql, 'rm_counts_poison_v1')).toEqual(expectedCounts(clamped));
      expect(await statusOf(fixed, 'counts_poison')).toMatchObject({ error: null, state: 'caught_up' });
      expect(
        await sql.query(
          `SELECT event_id, resolution, resolved_by, resolution_reason FROM projection_failures WHERE projection_name = 'counts_poison'`,
        ),
      ).toEqual([
        {
          event_id: stalled?.error?.eventId,
          resolution: 'resumed',
          resolved_by: 'ops:alice',
          resolution_reason: 'deployed the weight clamp',
        },
      ]);
    });

    it('skips the event on request, recording who skipped it and why, and refuses to skip another one', async () => {
      const category = uniqueCategory('skipped');
      const consumes = { streamNamePrefixes: [`${category}-`] };
      const written = await appendEvents(store, category, 20, { weight: poison, perAppend: 1 });
      const instance = startProjections([streamCountsProjection({ name: 'counts_skip', consumes })]);
      const stalled = await eventually(() => statusOf(instance, 'counts_skip'), (status) => status?.state === 'stalled', 'it stalls');
      const key = { name: 'counts_skip', version: 1 };

      await expect(
        instance.admin.skip(key, written[13].position, { by: 'ops:bob', reason: 'wrong event' }),
      ).rejects.toMatchObject({ code: 'PROJECTION_SKIP_MISMATCH' });
      await instance.admin.skip(key, written[12].position, { by: 'ops:bob', reason: 'test data entered by mistake' });
      await instance.readYourWrites.waitForPosition('counts_skip', lastPosition(written), 10_000);

      expect(await countsIn(sql, 'rm_counts_skip_v1')).toEqual(expectedCounts(written.filter((_, index) => index !== 12)));
      expect(
        await sql.query(
          `SELECT commit_position, resolution, resolved_by, resolution_reason
             FROM projection_failures WHERE projection_name = 'counts_skip'`,
        ),
      ).toEqual([
        {
          commit_position: stalled?.error?.position?.commit.toString(),
          resolution: 'skipped',
          resolved_by: 'ops:bob',
          resolution_reason: 'test data entered by mistake',
        },
      ]);
      await expect(instance.admin.resume(key, { by: 'ops:bob', reason: 'again' })).rejects.toMatchObject({
        code: 'PROJECTION_NOT_STALLED',
      });
    });

    it('is replaced by a newer version that applies the event, which ends the stall', async () => {
      const category = uniqueCategory('replaced');
      const consumes = { streamNamePrefixes: [`${category}-`] };
      const written = await appendEvents(store, category, 20, { weight: poison, perAppend: 1 });
      const broken = startProjections([streamCountsProjection({ name: 'counts_replace', version: 1, consumes })]);
      await eventually(() => statusOf(broken, 'counts_replace'), (status) => status?.state === 'stalled', 'it stalls');

      const fixed = startProjections([
        streamCountsProjection({ name: 'counts_replace', version: 2, consumes, clampNegativeWeights: true }),
      ]);
      await fixed.readYourWrites.waitForPosition('counts_replace', lastPosition(written), 10_000);

      expect((await fixed.serving.resolve('counts_replace')).version).toBe(2);
      expect((await statusOf(fixed, 'counts_replace', 1))?.state).toBe('retired');
      expect(
        await sql.query(`SELECT resolution, resolved_by FROM projection_failures WHERE projection_name = 'counts_replace'`),
      ).toEqual([{ resolution: 'replaced', resolved_by: 'projection-runner' }]);
    });
  });

  describe('when the event store restarts mid-stream', () => {
    it('loses and repeats no event', async () => {
      const category = uniqueCategory('restarted');
      const projection = streamCountsProjection({ name: 'counts_restart', consumes: { streamNamePrefixes: [`${category}-`] } });
      const instance = startProjections([projection]);
      const first = await appendEvents(store, category, 30);
      await eventually(() => instance.runners.get('counts_restart', 1)?.checkpoint, Boolean, 'a batch is applied');

      const writingThrough = appendEvents(store, category, 60, { perAppend: 2 });
      await eventStore.restart();
      const during = await writingThrough;
      const after = await appendEvents(store, category, 10);
      await instance.readYourWrites.waitForPosition('counts_restart', lastPosition(after), 20_000);

      const all = [...first, ...during, ...after];
      expect(instance.runners.get('counts_restart', 1)?.reconnects).toBeGreaterThan(0);
      expect(await countsIn(sql, 'rm_counts_restart_v1')).toEqual(expectedCounts(all));
      expect(await statusOf(instance, 'counts_restart')).toMatchObject({ eventsApplied: all.length, state: 'caught_up' });
    });
  });

  describe('waitForPosition', () => {
    it('resolves once the write is projected, and at once for a write the projection does not consume', async () => {
      const category = uniqueCategory('waited');
      const projection = streamCountsProjection({ name: 'counts_wait', consumes: { streamNamePrefixes: [`${category}-`] } });
      const instance = startProjections([projection]);
      await appendEvents(store, category, 1);
      await eventually(() => instance.serving.resolve('counts_wait').catch(() => undefined), Boolean, 'a version serves');

      const [written] = await appendEvents(store, category, 1);
      await instance.readYourWrites.waitForPosition('counts_wait', written.position, 5_000);
      const rows = await countsIn(sql, 'rm_counts_wait_v1');
      const [unrelated] = await appendEvents(store, uniqueCategory('unrelated'), 1);
      const started = Date.now();
      await instance.readYourWrites.waitForPosition('counts_wait', unrelated.position, 5_000);

      expect(rows.reduce((sum, row) => sum + row.events, 0)).toBe(2);
      expect(Date.now() - started).toBeLessThan(1_000);
    });

    it('gathers planner statistics on the tables it filled once it has caught up', async () => {
      const category = uniqueCategory('analyzed');
      const projection = streamCountsProjection({ name: 'counts_analyzed', consumes: { streamNamePrefixes: [`${category}-`] } });
      await appendEvents(store, category, 40);
      const instance = startProjections([projection]);
      await eventually(() => instance.serving.resolve('counts_analyzed').catch(() => undefined), Boolean, 'a version serves');

      // reltuples is -1 until a table is analyzed (or vacuumed) for the first time;
      // relallvisible counts the pages the visibility map marks, which only VACUUM sets.
      const [{ reltuples, relallvisible }] = await sql.query<{ reltuples: number; relallvisible: number }>(
        `SELECT reltuples, relallvisible FROM pg_class WHERE oid = 'rm_counts_analyzed_v1.stream_counts'::regclass`,
      );
      expect(Number(reltuples)).toBe(3);
      // Built from the log, so also vacuumed: reports read its covering indexes alone.
      expect(Number(relallvisible)).toBeGreaterThan(0);
    });

    it('builds the indexes a projection leaves to the end of the catch-up once it has caught up, and keeps them live', async () => {
      const category = uniqueCategory('indexed');
      const counts = streamCountsProjection({ name: 'counts_indexed', consumes: { streamNamePrefixes: [`${category}-`] } });
      // What each batch found, asked inside its own transaction.
      const indexSeenByBatch: number[] = [];
      const projection: Projection = {
        ...counts,
        indexesAfterCatchUp: (schema) => [`CREATE INDEX IF NOT EXISTS stream_counts_last_type_idx ON ${schema.table('stream_counts')} (last_type)`],
        apply: async (batch, tx) => {
          const [{ n }] = (await tx.query(
            `SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = 'rm_counts_indexed_v1' AND indexname = 'stream_counts_last_type_idx'`,
          )) as { n: number }[];
          indexSeenByBatch.push(n);
          await counts.apply(batch, tx);
        },
      };
      await appendEvents(store, category, 30);
      const instance = startProjections([projection]);
      await eventually(() => instance.serving.resolve('counts_indexed').catch(() => undefined), Boolean, 'a version serves');
      const batchesWhileCatchingUp = indexSeenByBatch.length;
      const [live] = await appendEvents(store, category, 1);
      // The batch records what it saw before it commits; waiting for the position waits for the commit.
      await instance.readYourWrites.waitForPosition('counts_indexed', live.position, 5_000);

      expect(batchesWhileCatchingUp).toBeGreaterThan(0);
      expect(indexSeenByBatch.slice(0, batchesWhileCatchingUp)).toEqual(Array.from({ length: batchesWhileCatchingUp }, () => 0));
      expect(indexSeenByBatch.slice(batchesWhileCatchingUp)).toEqual([1]);
      expect((await countsIn(sql, 'rm_counts_indexed_v1')).reduce((sum, row) => sum + row.events, 0)).toBe(31);
    });

    it('makes the keys and the indexes it leaves to after the finish once the finish is done, and making them again changes nothing', async () => {
      const category = uniqueCategory('keyed');
      const counts = streamCountsProjection({ name: 'counts_keyed', consumes: { streamNamePrefixes: [`${category}-`] } });
      const keysAndIndexes = async (schema: string, on: Pick<ReadStoreSql, 'query'> = sql) =>
        (
          await on.query<{ definition: string }>(
            `SELECT format('key %s', pg_get_constraintdef(c.oid)) AS definition FROM pg_constraint c
              WHERE c.conrelid = $1::regclass AND c.contype = 'p'
             UNION ALL
             SELECT format('index %s', indexname) FROM pg_indexes WHERE schemaname = $2 AND tablename = 'arrivals'
             ORDER BY 1`,
            [`${schema}.arrivals`, schema],
          )
        ).map((row) => row.definition);
      let atTheFinish: string[] | undefined;
      const projection: Projection = {
        ...counts,
        // Each event's stream and revision, only ever added to: no batch needs their key.
        createTables: (schema) => [...counts.createTables(schema), `CREATE TABLE ${schema.table('arrivals')} (stream_name text NOT NULL, revision bigint NOT NULL)`],
        primaryKeysAfterCatchUp: () => [{ table: 'arrivals', columns: ['stream_name', 'revision'] }],
        indexesAfterFinish: (schema) => [
          `CREATE INDEX IF NOT EXISTS arrivals_revision_idx ON ${schema.table('arrivals')} (revision)`,
          // What a build step runs with, kept where the test can read it.
          `CREATE TABLE IF NOT EXISTS ${schema.table('build_settings')} AS SELECT current_setting('max_parallel_maintenance_workers') AS workers`,
        ],
        apply: async (batch, tx) => {
          await counts.apply(batch, tx);
          await tx.insertRows('arrivals', [
            { name: 'stream_name', type: 'text', values: batch.map((event) => event.streamName) },
            { name: 'revision', type: 'bigint', values: batch.map((event) => event.revision.toString()) },
          ]);
        },
        finishRebuild: async (transactions) => {
          atTheFinish = await transactions.run((tx) => keysAndIndexes(tx.schema.name, tx));
        },
      };
      await appendEvents(store, category, 30);
      const logged = jest.spyOn(Logger.prototype, 'log');
      try {
        const instance = startProjections([projection]);
        await eventually(() => instance.serving.resolve('counts_keyed').catch(() => undefined), Boolean, 'a version serves');
        // What an operator reads of where the end of a rebuild went, step by step.
        expect(logged.mock.calls.map(([message]) => String(message))).toContainEqual(
          expect.stringMatching(/^finished the rebuild after its catch-up: indexes \d+ ms, finish \d+ ms, keys and indexes after the finish \d+ ms, vacuum and statistics \d+ ms$/),
        );
      } finally {
        logged.mockRestore();
      }

      expect(atTheFinish).toEqual([]);
      const built = ['index arrivals_pkey', 'index arrivals_revision_idx', 'key PRIMARY KEY (stream_name, revision)'];
      expect(await keysAndIndexes('rm_counts_keyed_v1')).toEqual(built);
      // As a finish run again after a restart does.
      const { build, attach } = primaryKeyAfterCatchUp(projectionSchema('counts_keyed', 1), { table: 'arrivals', columns: ['stream_name', 'revision'] });
      await sql.query(build);
      await sql.query(attach);
      expect(await keysAndIndexes('rm_counts_keyed_v1')).toEqual(built);
      expect((await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM rm_counts_keyed_v1.arrivals'))[0].n).toBe(30);
      // The runner builds its steps side by side: none takes parallel workers of its own.
      expect(await sql.query('SELECT workers FROM rm_counts_keyed_v1.build_settings')).toEqual([{ workers: '0' }]);
    });

    it('gets past a long tail of events it does not consume, which a read waiting for the last of them needs', async () => {
      const category = uniqueCategory('tailed');
      const projection = streamCountsProjection({ name: 'counts_tail', consumes: { streamNamePrefixes: [`${category}-`] } });
      // A scan slice smaller than the tail: the checkpoint gets there over several idle turns.
      const instance = startProjections([projection], { runner: { ...FAST_RUNNER, idleScanEvents: 150 } });
      await appendEvents(store, category, 1);
      await eventually(() => instance.serving.resolve('counts_tail').catch(() => undefined), Boolean, 'a version serves');

      // Far more than read-your-writes scans itself (256), and than one idle turn reads.
      const tail = await appendEvents(store, uniqueCategory('tail'), 1_200, { perAppend: 50 });
      await instance.readYourWrites.waitForPosition('counts_tail', lastPosition(tail), 15_000);

      // The subscription's own checkpoints stop short of the end; the idle runner gets there.
      const end = lastPosition(tail).commit;
      const checkpoint = await eventually(
        async () => (await instance.status.list('counts_tail'))[0]?.checkpoint?.commit ?? 0n,
        (commit) => commit >= end,
        'the checkpoint reaches the end of the tail',
      );
      expect(checkpoint).toBeGreaterThanOrEqual(end);
      expect((await countsIn(sql, 'rm_counts_tail_v1')).reduce((sum, row) => sum + row.events, 0)).toBe(1);
    });

    it('writes, once it has caught up, the last checkpoint over the tail it does not consume, however seldom such checkpoints are due', async () => {
      const category = uniqueCategory('caught');
      const projection = streamCountsProjection({ name: 'counts_caught', consumes: { streamNamePrefixes: [`${category}-`] } });
      await appendEvents(store, category, 3);
      // More than read-your-writes scans itself (256) past a checkpoint.
      const tail = await appendEvents(store, uniqueCategory('untaken'), 1_200, { perAppend: 100 });
      // The word that the subscription caught up comes a moment after its last checkpoint, in a
      // batch of its own, as it can when the runner is quick.
      const feed: AllFeed = {
        subscribeToAll: (options) =>
          store.subscribeToAll({ ...options, onCaughtUp: (position) => void setTimeout(() => options.onCaughtUp?.(position), 300) }),
      };
      // Checkpoints over dropped events are not due for ten minutes, nor is an idle turn.
      const instance = new Projections(
        { store, sql, feed },
        {
          projections: [projection],
          readStore: { url: postgres.url, embedded: postgres.embedded },
          runner: { ...FAST_RUNNER, checkpointWriteIntervalMs: 600_000, pollIntervalMs: 600_000 },
        },
      );
      instance.start();
      running.push(instance);

      await instance.readYourWrites.waitForPosition('counts_caught', lastPosition(tail), 20_000);

      expect((await countsIn(sql, 'rm_counts_caught_v1')).reduce((sum, row) => sum + row.events, 0)).toBe(3);
    });

    it('rejects with PROJECTION_TIMEOUT when the projection does not get there in time', async () => {
      const category = uniqueCategory('late');
      const projection = streamCountsProjection({ name: 'counts_late', consumes: { streamNamePrefixes: [`${category}-`] } });
      const instance = startProjections([projection]);
      const first = await appendEvents(store, category, 1);
      await instance.readYourWrites.waitForPosition('counts_late', first[0].position, 5_000);
      await instance.runners.get('counts_late', 1)?.stop();
      const [unseen] = await appendEvents(store, category, 1);

      await expect(instance.readYourWrites.waitForPosition('counts_late', unseen.position, 300)).rejects.toMatchObject({
        code: 'PROJECTION_TIMEOUT',
      });
      await expect(instance.readYourWrites.waitForPosition('nobody', unseen.position, 300)).rejects.toMatchObject({
        code: 'PROJECTION_NOT_FOUND',
      });
    });
  });

  describe('when the projector is killed in the middle of a batch', () => {
    const repositoryRoot = join(__dirname, '..', '..', '..', '..');

    /** Resolves with the child's first stdout line matching `pattern`; rejects if it exits first. */
    function lineFrom(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
      return new Promise((resolve, reject) => {
        let stdout = '';
        let stderr = '';
        const timer = setTimeout(() => reject(new Error(`No "${pattern.source}" within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
        child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.stdout?.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          const line = stdout.split('\n').find((candidate) => pattern.test(candidate));
          if (line === undefined) return;
          clearTimeout(timer);
          resolve(line);
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`The projector exited with ${code} before "${pattern.source}"; stderr: ${stderr}`));
        });
      });
    }

    it('leaves, once restarted, the same table contents as a clean rebuild', async () => {
      const category = uniqueCategory('crashed');
      const consumes = { streamNamePrefixes: [`${category}-`] };
      const written = await appendEvents(store, category, 200, { streams: 7, perAppend: 5 });
      const projector = spawn(process.execPath, ['--require', 'tsx/cjs', join(__dirname, 'testing', 'crash-child.ts')], {
        cwd: repositoryRoot,
        env: {
          ...process.env,
          EMBEDDED: String(postgres.embedded),
          DATABASE_URL: postgres.url,
          EVENTSTORE_URL: eventStore.connectionString,
          PROJECTION_NAME: 'counts_crash',
          STREAM_PREFIX: `${category}-`,
          CRASH_IN_BATCH: '4',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = once(projector, 'exit');

      // The fourth batch's rows are written and its transaction is open: kill -9 now.
      await lineFrom(projector, /^holding \d+ events$/, 30_000);
      projector.kill('SIGKILL');
      await exited;

      const [left] = await sql.query<{ checkpointed: number; counted: number }>(
        `SELECT v.events_applied::int AS checkpointed,
                (SELECT coalesce(sum(events), 0)::int FROM rm_counts_crash_v1.stream_counts) AS counted
           FROM projection_versions v WHERE v.projection_name = 'counts_crash'`,
      );
      // Three batches committed with their checkpoint; nothing of the fourth.
      expect(left.counted).toBe(left.checkpointed);
      expect(left.checkpointed).toBeGreaterThan(0);
      expect(left.checkpointed).toBeLessThan(written.length);

      const restarted = startProjections([
        streamCountsProjection({ name: 'counts_crash', consumes }),
        streamCountsProjection({ name: 'counts_clean', consumes }),
      ]);
      await restarted.readYourWrites.waitForPosition('counts_crash', lastPosition(written), 15_000);
      await restarted.readYourWrites.waitForPosition('counts_clean', lastPosition(written), 15_000);

      expect(await checksumOf(sql, 'rm_counts_crash_v1')).toBe(await checksumOf(sql, 'rm_counts_clean_v1'));
      expect(await countsIn(sql, 'rm_counts_crash_v1')).toEqual(expectedCounts(written));
      expect(await statusOf(restarted, 'counts_crash')).toMatchObject({ eventsApplied: written.length });
    });
  });

  describe('ProjectionsModule', () => {
    it('starts the runners when the application boots and stops them, releasing their leases, when it closes', async () => {
      const category = uniqueCategory('booted');
      const projection = streamCountsProjection({ name: 'counts_module', consumes: { streamNamePrefixes: [`${category}-`] } });
      const readStore = { url: postgres.url, embedded: postgres.embedded };
      const app = await Test.createTestingModule({
        imports: [
          EventStoreModule.forRoot({ connectionString: eventStore.connectionString, isGlobal: true }),
          ReadStoreModule.forRoot(readStore),
          ProjectionsModule.forRoot({ projections: [projection], readStore, runner: FAST_RUNNER }),
        ],
      }).compile();
      await app.init();
      const written = await appendEvents(store, category, 30);

      await app.get(ReadYourWrites).waitForPosition('counts_module', lastPosition(written), 10_000);
      const [running] = await app.get(ProjectionsStatus).list('counts_module');
      await app.close();
      const next = startProjections([projection]);
      await eventually(() => next.runners.get('counts_module', 1)?.state, (state) => state === 'live', 'another runner takes the lease');

      expect(running).toMatchObject({ eventsApplied: 30, serving: true });
      expect(running.runner === 'live' || running.runner === 'catching_up').toBe(true);
      expect(await countsIn(sql, 'rm_counts_module_v1')).toEqual(expectedCounts(written));
    });
  });
});
