import { Logger } from '@nestjs/common';
import { comparePositions, type AllFeed, type EventStore, type FeedSubscription, type Position, type RecordedEnvelope } from '@revops/event-store';
import { forEachConcurrently } from '@revops/platform';
import { arrayParameters } from './array-parameters';
import { BatchQueue, type Batch } from './batch-queue';
import { ProjectionBookkeeping, type FailureReport, type VersionKey, type VersionRecord } from './bookkeeping';
import { CheckpointMovedError } from './errors';
import { matcherOf } from './event-matcher';
import { insertRows } from './insert-rows';
import { abortableSleep, type Lease, type LeaseProvider } from './leases';
import { formatPosition } from './positions';
import { boundedMemory, type ForgettingMemory } from './projection-memory';
import {
  projectionSchema,
  stepsAfterFinish,
  validateProjection,
  type Projection,
  type ProjectionSchema,
  type ProjectionTransaction,
  type RebuildTransactions,
} from './projection';
import { RateMeter } from './rate-meter';
import type { ReadStoreSql, Sql } from './read-store-sql';
import {
  applyIsolating,
  attempt,
  DEFAULT_RETRY_POLICY,
  isTransientDatabaseError,
  type BatchOutcome,
  type RetryHooks,
  type RetryPolicy,
} from './retry';
import type { ProjectionSignals } from './signals';
import { announcement, COMMITS_CHANNEL } from './commit-feed';

export interface RunnerSettings {
  /** Events per transaction at most, once the runner follows the head of `$all`. */
  maxBatchSize: number;
  /** Events per transaction at most while catching up (a rebuild, a restart behind the head). */
  catchUpBatchSize: number;
  /** How long the first event of a batch waits for more before the batch is applied. */
  maxBatchWaitMs: number;
  /** The same while catching up, when nobody waits on each batch yet (see BatchLimits). */
  catchUpBatchWaitMs: number;
  /** Events read ahead of the batch being applied; the subscription waits beyond it. */
  queueCapacity: number;
  /** For batches that fail: attempts, then the event-by-event isolation, then a stall. */
  retry: RetryPolicy;
  /** How often an idle or stalled runner re-reads its row (operators may act from another process). */
  pollIntervalMs: number;
  /** How often a runner waiting for its lease tries again. */
  leaseRetryMs: number;
  /** Least time between two writes that only move the checkpoint over events the filter dropped. */
  checkpointWriteIntervalMs: number;
  /** How long a retired version's tables stay after the switch, for reads that resolved it just before. */
  retiredTablesGraceMs: number;
  /** Window of the events/s figure. */
  rateWindowMs: number;
  /** Events of `$all` an idle, live runner reads per turn to move its checkpoint over what its filter drops. */
  idleScanEvents: number;
  /** Reconnection backoff of the subscription when the event store goes away. */
  reconnect: { initialDelayMs: number; maxDelayMs: number };
  /** NOTIFY each committed batch on COMMITS_CHANNEL, for processes that do not run the projections. */
  announceCommits: boolean;
  /**
   * Runners catching up over the same part of `$all` share one read of it (SharedCatchUp),
   * so each event is sent and decoded once; once caught up, each follows the log alone.
   */
  shareCatchUp: boolean;
  /** Transactions a projection's finishRebuild may run at once (RebuildTransactions.parallelism). */
  finishParallelism: number;
  /** Rows a projection may keep in memory between batches (ProjectionMemory); 0 keeps none. */
  memoryRows: number;
}

export const DEFAULT_RUNNER_SETTINGS: RunnerSettings = {
  maxBatchSize: 1_000,
  // A deal's events written once for several of them, and fewer transactions: 8,000 rebuilt a
  // million events 3 % quicker than 4,000 when each deal's history came in one append, and
  // 5–8 % quicker when deals' events came interleaved, as recorded live.
  catchUpBatchSize: 8_000,
  maxBatchWaitMs: 50,
  catchUpBatchWaitMs: 1_000,
  queueCapacity: 2_000,
  retry: DEFAULT_RETRY_POLICY,
  pollIntervalMs: 2_000,
  leaseRetryMs: 2_000,
  checkpointWriteIntervalMs: 1_000,
  retiredTablesGraceMs: 5 * 60_000,
  rateWindowMs: 10_000,
  idleScanEvents: 20_000,
  reconnect: { initialDelayMs: 100, maxDelayMs: 5_000 },
  announceCommits: false,
  shareCatchUp: true,
  finishParallelism: 2,
  memoryRows: 20_000,
};

export function runnerSettings(overrides: Partial<RunnerSettings> = {}): RunnerSettings {
  // A caller that bounds the batch size or wait bounds catching up too, unless it says otherwise.
  const catchUpBatchSize = overrides.catchUpBatchSize ?? overrides.maxBatchSize ?? DEFAULT_RUNNER_SETTINGS.catchUpBatchSize;
  const catchUpBatchWaitMs = overrides.catchUpBatchWaitMs ?? overrides.maxBatchWaitMs ?? DEFAULT_RUNNER_SETTINGS.catchUpBatchWaitMs;
  const settings = { ...DEFAULT_RUNNER_SETTINGS, ...overrides, catchUpBatchSize, catchUpBatchWaitMs };
  return { ...settings, queueCapacity: Math.max(settings.queueCapacity, settings.maxBatchSize, settings.catchUpBatchSize) };
}

/**
 * - waiting_for_lease: another runner holds this version;
 * - catching_up: reading history after (re)subscribing;
 * - live: reached the end of `$all` and follows it;
 * - stalled: stopped on an event it could not apply, waiting for an operator;
 * - retired: a newer version took over; this runner has ended.
 */
export type RunnerState = 'starting' | 'waiting_for_lease' | 'catching_up' | 'live' | 'stalled' | 'retired' | 'stopped';

export interface RunnerDependencies {
  readonly store: EventStore;
  readonly sql: ReadStoreSql;
  readonly leases: LeaseProvider;
  readonly signals: ProjectionSignals;
  /** Where subscriptions to `$all` come from: the store unless set (ProjectionRunners shares one). */
  readonly feed?: AllFeed;
}

type FollowEnd = 'ended' | 'stalled' | 'moved';

/**
 * Runs one projection version: holds its lease, follows `$all` from its checkpoint and
 * applies batches, each with its checkpoint in one transaction. See the README for the
 * guarantees.
 */
export class ProjectionRunner {
  readonly key: VersionKey;
  private readonly schema: ProjectionSchema;
  private readonly bookkeeping: ProjectionBookkeeping;
  private readonly logger: Logger;
  private readonly abort = new AbortController();
  private currentState: RunnerState = 'starting';
  private running: Promise<void> | undefined;
  private stopping = false;
  /** Following a version that does not serve yet, not caught up since: see ProjectionTransaction.rebuilding. */
  private rebuilding = false;
  private checkpointPosition: Position | null = null;
  private lastCheckpointWrite = 0;
  /** A checkpoint over dropped events not written yet, as it was not due: the next write takes it. */
  private unwrittenCheckpoint: Position | null = null;
  private reconnectCount = 0;
  /** How far an idle scan has found nothing this projection consumes; null to start at the checkpoint. */
  private idleScanned: Position | null = null;
  private rate: RateMeter;
  private active: { queue: BatchQueue; subscription: FeedSubscription } | undefined;
  private readonly memory: ForgettingMemory;
  private doorbell: (() => void) | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    readonly projection: Projection,
    private readonly deps: RunnerDependencies,
    private readonly settings: RunnerSettings = DEFAULT_RUNNER_SETTINGS,
  ) {
    validateProjection(projection);
    this.key = { name: projection.name, version: projection.version };
    this.schema = projectionSchema(projection.name, projection.version);
    this.bookkeeping = new ProjectionBookkeeping(deps.sql);
    this.logger = new Logger(`Projection ${projection.name} v${projection.version}`);
    this.rate = new RateMeter(settings.rateWindowMs);
    this.memory = boundedMemory(settings.memoryRows);
    this.unsubscribe = deps.signals.onChanged((key) => {
      if (key.name === this.key.name && key.version === this.key.version) this.doorbell?.();
    });
  }

  get state(): RunnerState {
    return this.currentState;
  }

  /** The last position this runner committed (null before it has read its row, or from the start). */
  get checkpoint(): Position | null {
    return this.checkpointPosition;
  }

  /** Times the subscription lost the event store and reconnected, over this runner's life. */
  get reconnects(): number {
    return this.reconnectCount;
  }

  /** Starts in the background; the runner keeps going (re-leasing, reconnecting) until stop(). */
  start(): void {
    if (this.running || this.stopping) return;
    this.running = this.main().finally(() => {
      if (this.currentState !== 'retired') this.currentState = 'stopped';
    });
  }

  /**
   * Lets the batch in flight commit, drops what was read ahead (it is read again next time),
   * ends the subscription and releases the lease.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    this.doorbell?.();
    this.active?.queue.close();
    void this.active?.subscription.stop();
    await this.running;
    this.unsubscribe();
    if (this.currentState !== 'retired') this.currentState = 'stopped';
  }

  private async main(): Promise<void> {
    while (!this.stopping) {
      this.currentState = 'waiting_for_lease';
      const lease = await this.deps.leases.acquire(this.key.name, this.key.version, this.settings.leaseRetryMs, this.abort.signal);
      if (!lease) return;
      let retired = false;
      try {
        retired = (await this.runLeased(lease)) === 'retired';
      } catch (error) {
        if (!this.stopping) {
          this.logger.error(`stopped on an unexpected error, starting over: ${describeError(error)}`);
          await abortableSleep(this.settings.pollIntervalMs, this.abort.signal);
        }
      } finally {
        await lease.release();
      }
      if (lease.isLost && !this.stopping) this.logger.warn('lost its lease; waiting to take it again');
      if (retired) {
        this.currentState = 'retired';
        this.logger.log('retired: a newer version serves reads now');
        return;
      }
    }
  }

  private async runLeased(lease: Lease): Promise<'ended' | 'retired'> {
    let record = await this.withTransientRetry(() => this.bookkeeping.register(this.projection), lease);
    for (;;) {
      if (record === undefined || this.stopping || lease.isLost) return 'ended';
      this.checkpointPosition = record.checkpoint;
      if (record.status === 'retired') return 'retired';
      if (record.status === 'failed') {
        this.currentState = 'stalled';
        record = await this.waitWhileStalled(lease);
        continue;
      }
      const end = await this.follow(record, lease);
      if (end === 'ended') return 'ended';
      record = await this.withTransientRetry(() => this.read(), lease);
    }
  }

  private async read(): Promise<VersionRecord> {
    const record = await this.bookkeeping.read(this.key);
    if (!record) throw new Error(`Projection ${this.key.name} version ${this.key.version} has no checkpoint row any more`);
    return record;
  }

  private async waitWhileStalled(lease: Lease): Promise<VersionRecord | undefined> {
    for (;;) {
      await this.pause(this.settings.pollIntervalMs);
      if (this.stopping || lease.isLost) return undefined;
      const record = await this.withTransientRetry(() => this.read(), lease);
      if (record === undefined || record.status !== 'failed') return record;
    }
  }

  /** Subscribes from the checkpoint and applies batches until stopped, stalled or fenced off. */
  private async follow(record: VersionRecord, lease: Lease): Promise<FollowEnd> {
    this.currentState = 'catching_up';
    this.rebuilding = !record.serving;
    this.memory.forget();
    this.unwrittenCheckpoint = null;
    this.logger.log(`following $all from ${formatPosition(record.checkpoint)} (${record.status})`);
    const queue = new BatchQueue({
      maxBatchSize: this.settings.maxBatchSize,
      catchUpBatchSize: this.settings.catchUpBatchSize,
      maxBatchWaitMs: this.settings.maxBatchWaitMs,
      catchUpBatchWaitMs: this.settings.catchUpBatchWaitMs,
      capacity: this.settings.queueCapacity,
    });
    const subscription = (this.deps.feed ?? this.deps.store).subscribeToAll({
      from: record.checkpoint ?? 'start',
      filter: this.projection.consumes,
      handle: (event) => {
        const queued = queue.push(event);
        // Only a full queue makes the subscription wait.
        if (queued instanceof Promise) return queued.then(() => undefined);
      },
      onCheckpoint: (position) => queue.checkpoint(position),
      onCaughtUp: () => queue.caughtUp(),
      onReconnecting: ({ attempt: tries, delayMs, error }) => {
        this.reconnectCount++;
        this.logger.warn(`event store unavailable (${error.message}); reconnect ${tries} in ${delayMs} ms`);
      },
      reconnect: this.settings.reconnect,
    });
    subscription.closed.then(
      () => queue.close(),
      (error: unknown) => queue.close(error instanceof Error ? error : new Error(String(error))),
    );
    this.active = { queue, subscription };
    try {
      return await this.consume(queue, lease);
    } catch (error) {
      if (error instanceof CheckpointMovedError) {
        this.logger.warn(error.message);
        return 'moved';
      }
      throw error;
    } finally {
      this.active = undefined;
      queue.close();
      queue.discard();
      await subscription.stop();
    }
  }

  private async consume(queue: BatchQueue, lease: Lease): Promise<FollowEnd> {
    let lastLook = Date.now();
    for (;;) {
      if (this.stopping || lease.isLost) return 'ended';
      const taken = await queue.take(this.settings.pollIntervalMs);
      if (this.stopping || lease.isLost) return 'ended';
      if (taken.kind === 'closed') {
        if (taken.error === undefined) return 'ended';
        await this.stall(lease, {
          position: null,
          eventId: null,
          streamName: null,
          eventType: null,
          error: `The subscription to $all failed after ${formatPosition(this.checkpointPosition)}: ${describeError(taken.error)}`,
          attempts: 1,
        });
        return 'stalled';
      }
      if (taken.kind === 'batch') {
        const outcome = await this.applyBatch(taken.batch, lease);
        if (outcome.kind === 'stopped') return 'ended';
        if (outcome.kind === 'failed') {
          const { failed, error, attempts } = outcome;
          await this.stall(lease, {
            position: failed.position,
            eventId: failed.eventId,
            streamName: failed.streamName,
            eventType: failed.type,
            error: describeError(error),
            attempts,
          });
          return 'stalled';
        }
        if (taken.batch.caughtUp) await this.caughtUp(lease);
      }
      if (taken.kind === 'idle' && this.currentState === 'live') await this.advanceOverDropped(lease);
      // Operators and other versions act through the read store too; a busy runner looks as
      // often as an idle one.
      if (Date.now() - lastLook >= this.settings.pollIntervalMs) {
        lastLook = Date.now();
        if (await this.somethingChanged(lease)) return 'moved';
      }
    }
  }

  private async applyBatch(batch: Batch, lease: Lease): Promise<BatchOutcome> {
    const { events, caughtUp } = batch;
    // A batch that brings nothing (the one that says the subscription caught up, say) still
    // writes the checkpoint an earlier one could not.
    const checkpoint = batch.checkpoint ?? (events.length === 0 ? this.unwrittenCheckpoint : null);
    if (checkpoint === null || !this.isAhead(checkpoint)) return { kind: 'committed' };
    if (events.length === 0) {
      // Checkpoints over filtered-out events only save re-reading them after a restart (and
      // let read-your-writes see past them), so they are written at a modest pace.
      const due = caughtUp || Date.now() - this.lastCheckpointWrite >= this.settings.checkpointWriteIntervalMs;
      if (!due) {
        this.unwrittenCheckpoint = checkpoint;
        return { kind: 'committed' };
      }
    }
    return applyIsolating(events, checkpoint, (part, to) => this.commit(part, to), this.settings.retry, this.retryHooks(lease));
  }

  private async commit(events: readonly RecordedEnvelope[], checkpoint: Position): Promise<void> {
    const expected = this.checkpointPosition;
    try {
      await this.deps.sql.transaction(async (tx) => {
        if (events.length > 0) await this.projection.apply(events, this.transaction(tx));
        await this.bookkeeping.commit(tx, this.key, {
          expected,
          checkpoint,
          events: events.length,
          lastRecordedAt: events.length > 0 ? events[events.length - 1].recordedAt : null,
          eventsPerSecond: this.rate.perSecond(events.length),
        });
        // Delivered when the transaction commits, never for one rolled back.
        if (this.settings.announceCommits && events.length > 0) {
          await tx.query('SELECT pg_notify($1, $2)', [COMMITS_CHANNEL, announcement(this.key, expected, checkpoint, events.length)]);
        }
      });
    } catch (error) {
      // What the batch kept may not have committed.
      this.memory.forget();
      throw error;
    }
    this.checkpointPosition = checkpoint;
    this.lastCheckpointWrite = Date.now();
    this.unwrittenCheckpoint = null;
    this.rate.record(events.length);
    this.deps.signals.committed({ ...this.key, checkpoint, events: events.length, batch: events });
  }

  /**
   * A filtered subscription reports checkpoints only now and then, so after the last event it
   * consumes, the checkpoint can stay behind the head however long the log grows with events
   * it drops, and read-your-writes would wait on it in vain. An idle runner reads `$all` on
   * from its checkpoint, a slice per turn, and once it finds nothing it consumes up to the
   * head it read first, moves its checkpoint there. A consumed event on the way is left to
   * the subscription, which brings it.
   */
  private async advanceOverDropped(lease: Lease): Promise<void> {
    const head = await this.deps.store.headPosition();
    if (head === null || !this.isAhead(head)) return;
    const from = this.idleScanned !== null && this.isAhead(this.idleScanned) ? this.idleScanned : this.checkpointPosition;
    const consumes = matcherOf(this.projection.consumes);
    let scanned = from;
    let read = 0;
    for await (const event of this.deps.store.readAll({ from: from ?? 'start', maxCount: this.settings.idleScanEvents })) {
      read++;
      if (from !== null && comparePositions(event.position, from) <= 0) continue;
      if (comparePositions(event.position, head) > 0) break;
      if (consumes(event.streamName, event.type)) return;
      scanned = event.position;
      if (this.stopping || lease.isLost) return;
    }
    this.idleScanned = scanned;
    const reachedHead = scanned !== null && comparePositions(scanned, head) >= 0;
    if (!reachedHead && read >= this.settings.idleScanEvents) return;
    await applyIsolating([], head, (part, to) => this.commit(part, to), this.settings.retry, this.retryHooks(lease));
  }

  private transaction(tx: Sql): ProjectionTransaction {
    return {
      schema: this.schema,
      rebuilding: this.rebuilding,
      query: (sql, parameters) => tx.query(sql, arrayParameters(parameters)),
      insertRows: (table, columns) => insertRows(tx, this.schema.table(table), columns),
      memory: this.memory,
    };
  }

  private async caughtUp(lease: Lease): Promise<void> {
    const rebuilt = this.rebuilding;
    // Before a rebuilt version takes over, so that it serves with statistics.
    const analyze = () => this.withTransientRetry(() => this.analyzeTables(rebuilt), lease);
    if (rebuilt) {
      const steps = new StepTimes();
      await this.finishRebuilding(lease, steps);
      this.rebuilding = false;
      await steps.time('vacuum and statistics', analyze);
      this.logger.log(`finished the rebuild after its catch-up: ${steps.summary()}`);
    } else if (this.currentState !== 'live') {
      await analyze();
    }
    const outcome = await this.withTransientRetry(() => this.bookkeeping.caughtUp(this.key), lease);
    if (outcome === undefined) return;
    if (outcome.status !== 'live') {
      throw new CheckpointMovedError(`Projection ${this.key.name} version ${this.key.version} is ${outcome.status} now`);
    }
    if (this.currentState !== 'live') this.logger.log(`caught up at ${formatPosition(this.checkpointPosition)}`);
    this.currentState = 'live';
    this.deps.signals.changed(this.key);
    for (const version of outcome.retired) {
      this.logger.log(`took over from version ${version}`);
      this.deps.signals.changed({ name: this.key.name, version });
    }
    if (outcome.servingVersion === this.key.version) await this.dropRetiredTables(lease);
  }

  /**
   * What a rebuilding version left to the end of its catch-up: the indexes no batch reads, its
   * own finish, then the keys no batch needed and the indexes of what the finish rewrote.
   */
  private async finishRebuilding(lease: Lease, steps: StepTimes): Promise<void> {
    const transactions: RebuildTransactions = {
      parallelism: this.settings.finishParallelism,
      run: (work) => this.deps.sql.transaction((tx) => work(this.transaction(tx))),
    };
    const indexes = (this.projection.indexesAfterCatchUp?.(this.schema) ?? []).map((index) => [index]);
    await steps.time('indexes', () => this.runSteps(transactions, indexes, lease));
    const { finishRebuild } = this.projection;
    if (finishRebuild) await steps.time('finish', () => this.withTransientRetry(() => finishRebuild.call(this.projection, transactions), lease));
    await steps.time('keys and indexes after the finish', () => this.runSteps(transactions, stepsAfterFinish(this.projection, this.schema), lease));
  }

  /**
   * Runs each step's statements in a transaction of its own, as many steps at once as the
   * finish may. A step's index or key is built without PostgreSQL's parallel workers: the
   * runner builds `finishParallelism` of them side by side already, and every other rebuilt
   * version its own at the same time, so workers of each build's own would only take turns
   * with those on the same cores, and cost their division of the sort and its merge. At
   * 1,000,000 events the three largest builds took a fifth less CPU without (2.9 against
   * 3.6 s); alone on an idle machine they took 3.2 s instead of 2.7.
   */
  private async runSteps(transactions: RebuildTransactions, steps: readonly (readonly string[])[], lease: Lease): Promise<void> {
    await this.withTransientRetry(
      () =>
        forEachConcurrently(steps, transactions.parallelism, (statements) =>
          transactions.run(async (tx) => {
            await tx.query('SET LOCAL max_parallel_maintenance_workers = 0');
            for (const statement of statements) await tx.query(statement);
          }),
        ),
      lease,
    );
  }

  /**
   * Planner statistics for the tables a catch-up filled. Without them (and where autovacuum
   * is off or has not come round yet) the planner takes freshly rebuilt tables for empty and
   * picks plans that crawl once queries read them. A rebuilt version's tables are vacuumed
   * too, which is quick on tables only ever added to: it marks their pages all-visible, so
   * the reports' covering indexes answer from the index alone from the first query on,
   * instead of visiting every row's page (at a million events, a quarter's closes and stage
   * cohort for sales metrics then take 2.3× and 3.8× less time).
   */
  private async analyzeTables(rebuilt: boolean): Promise<void> {
    const tables = await this.deps.sql.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'`,
      [this.schema.name],
    );
    const command = rebuilt ? 'VACUUM (ANALYZE)' : 'ANALYZE';
    await forEachConcurrently(tables, this.settings.finishParallelism, async ({ table_name }) => {
      await this.deps.sql.query(`${command} ${this.schema.table(table_name)}`);
    });
  }

  /** Whether the row says what this runner did not do itself. The serving version also drops retired tables here. */
  private async somethingChanged(lease: Lease): Promise<boolean> {
    const record = await this.withTransientRetry(() => this.read(), lease);
    if (record === undefined) return false;
    const moved = record.status === 'failed' || record.status === 'retired' || !samePosition(record.checkpoint, this.checkpointPosition);
    if (!moved && record.serving) await this.dropRetiredTables(lease);
    return moved;
  }

  private async dropRetiredTables(lease: Lease): Promise<void> {
    const { name } = this.key;
    const due = await this.withTransientRetry(() => this.bookkeeping.dueForDrop(name, this.settings.retiredTablesGraceMs), lease);
    for (const version of due ?? []) {
      await this.withTransientRetry(() => this.bookkeeping.dropTables(version), lease);
      this.logger.log(`dropped the tables of retired version ${version.version}`);
    }
  }

  private async stall(lease: Lease, failure: FailureReport): Promise<void> {
    const where = failure.position ? formatPosition(failure.position) : `the event after ${formatPosition(this.checkpointPosition)}`;
    const what = failure.eventType ? ` (${failure.eventType} in ${failure.streamName})` : '';
    this.logger.error(`stalled at ${where}${what}: ${failure.error}`);
    await this.withTransientRetry(() => this.bookkeeping.stall(this.key, this.checkpointPosition, failure), lease);
    this.currentState = 'stalled';
    this.deps.signals.changed(this.key);
  }

  private isAhead(position: Position): boolean {
    return this.checkpointPosition === null || comparePositions(position, this.checkpointPosition) > 0;
  }

  private retryHooks(lease: Lease): RetryHooks {
    return {
      isTransient: isTransientDatabaseError,
      isFatal: (error) => error instanceof CheckpointMovedError,
      shouldStop: () => this.stopping || lease.isLost,
      sleep: (ms) => abortableSleep(ms, this.abort.signal),
      onRetry: ({ attempt: tries, delayMs, error, transient }) =>
        this.logger.warn(
          `${transient ? 'read store unavailable' : 'batch failed'} (attempt ${tries}), retrying in ${delayMs} ms: ${describeError(error)}`,
        ),
    };
  }

  /** Bookkeeping outside batches: retried while PostgreSQL is away, anything else propagates. */
  private async withTransientRetry<T>(work: () => Promise<T>, lease: Lease): Promise<T | undefined> {
    let result: T | undefined;
    const outcome = await attempt(
      async () => {
        result = await work();
      },
      { ...this.settings.retry, maxAttempts: 1 },
      this.retryHooks(lease),
    );
    if (outcome.ok === false) throw outcome.error;
    return outcome.ok === true ? result : undefined;
  }

  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.abort.signal.removeEventListener('abort', done);
        if (this.doorbell === done) this.doorbell = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.abort.signal.addEventListener('abort', done, { once: true });
      this.doorbell = done;
    });
  }
}

function samePosition(a: Position | null, b: Position | null): boolean {
  return a === null || b === null ? a === b : comparePositions(a, b) === 0;
}

/**
 * The error as stored with a stall and logged: SQLSTATE and message. PostgreSQL's `detail`
 * is left out on purpose: it quotes the failing row, which may hold personal data; the
 * event id and position are what an operator needs to look the event up.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const driver = (error as { driverError?: { code?: unknown } }).driverError;
  const code = driver?.code ?? (error as { code?: unknown }).code;
  return `${typeof code === 'string' ? `[${code}] ` : ''}${error.message}`;
}

/** How long each step of a rebuild's end took, for the log line that reports it. */
class StepTimes {
  private readonly steps: string[] = [];

  async time<T>(step: string, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const result = await work();
    this.steps.push(`${step} ${Math.round(performance.now() - started)} ms`);
    return result;
  }

  summary(): string {
    return this.steps.join(', ');
  }
}
