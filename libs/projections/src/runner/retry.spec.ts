import type { Position, RecordedEnvelope } from '@revops/event-store';
import { applyIsolating, attempt, isTransientDatabaseError, retryDelay, type RetryHooks, type RetryPolicy } from './retry';
import { anEnvelope, at } from './testing/envelopes';

const policy: RetryPolicy = { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 1_000, multiplier: 2, jitter: 0 };

function hooks(overrides: Partial<RetryHooks> = {}): RetryHooks & { delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    isTransient: isTransientDatabaseError,
    isFatal: () => false,
    shouldStop: () => false,
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...overrides,
  };
}

function sqlError(code: string, message = 'failed'): Error {
  // What TypeORM throws: its QueryFailedError carrying the driver's error.
  return Object.assign(new Error(message), { driverError: Object.assign(new Error(message), { code }) });
}

describe('retryDelay', () => {
  it('doubles from the initial delay up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(n, policy))).toEqual([100, 200, 400, 800, 1_000]);
  });

  it('only ever shortens a delay by its jitter', () => {
    const jittered = { ...policy, jitter: 0.5 };

    expect(retryDelay(4, jittered, () => 0)).toBe(800);
    expect(retryDelay(4, jittered, () => 0.999)).toBe(400);
  });
});

describe('isTransientDatabaseError', () => {
  it.each([
    ['a dropped connection (08006)', sqlError('08006')],
    ['a server shutting down (57P01)', sqlError('57P01')],
    ['a deadlock (40P01)', sqlError('40P01')],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a connection that ended mid-query', new Error('Connection terminated unexpectedly')],
  ])('treats %s as transient', (_, error) => {
    expect(isTransientDatabaseError(error)).toBe(true);
  });

  it.each([
    ['a check violation (23514)', sqlError('23514')],
    ['a syntax error (42601)', sqlError('42601')],
    ['a bug in the projection', new TypeError("Cannot read properties of undefined (reading 'amount')")],
  ])('treats %s as a failure of the batch', (_, error) => {
    expect(isTransientDatabaseError(error)).toBe(false);
  });
});

describe('attempt', () => {
  it('retries a failing piece of work with backoff until it succeeds', async () => {
    let calls = 0;
    const retry = hooks();

    const outcome = await attempt(
      async () => {
        if (++calls < 3) throw sqlError('23514');
      },
      policy,
      retry,
    );

    expect(outcome).toEqual({ ok: true });
    expect(retry.delays).toEqual([100, 200]);
  });

  it('gives up after maxAttempts failures, returning the last error', async () => {
    const error = sqlError('23514');

    expect(await attempt(() => Promise.reject(error), policy, hooks())).toEqual({ ok: false, error, attempts: 3 });
  });

  it('keeps retrying transient failures past maxAttempts, at the capped delay', async () => {
    let calls = 0;
    const retry = hooks();

    const outcome = await attempt(
      async () => {
        if (++calls <= 6) throw sqlError('08006');
      },
      policy,
      retry,
    );

    expect(outcome).toEqual({ ok: true });
    expect(retry.delays).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('gives up without an error when the runner stops', async () => {
    let stopping = false;

    const outcome = await attempt(
      () => Promise.reject(sqlError('08006')),
      policy,
      hooks({ shouldStop: () => stopping, sleep: async () => void (stopping = true) }),
    );

    expect(outcome).toEqual({ ok: 'stopped' });
  });

  it('rethrows fatal errors at once', async () => {
    const fatal = new Error('the checkpoint moved');

    await expect(attempt(() => Promise.reject(fatal), policy, hooks({ isFatal: (error) => error === fatal }))).rejects.toBe(fatal);
  });
});

describe('applyIsolating', () => {
  const batch = [anEnvelope(10), anEnvelope(20), anEnvelope(30), anEnvelope(40)];
  const commits = (log: Array<[number[], Position]>) => log.map(([events, to]) => [events, Number(to.commit)]);

  function committer(poison?: number) {
    const log: Array<[number[], Position]> = [];
    const commit = async (events: readonly RecordedEnvelope[], checkpoint: Position) => {
      if (events.some((event) => Number(event.position.commit) === poison)) throw sqlError('23514', `cannot apply ${poison}`);
      log.push([events.map((event) => Number(event.position.commit)), checkpoint]);
    };
    return { log, commit };
  }

  it('commits a batch that applies in one transaction with its checkpoint', async () => {
    const { log, commit } = committer();

    expect(await applyIsolating(batch, at(45), commit, policy, hooks())).toEqual({ kind: 'committed' });
    expect(commits(log)).toEqual([[[10, 20, 30, 40], 45]]);
  });

  describe('when the batch keeps failing', () => {
    it('commits the events before the poison one one by one and reports the poison one', async () => {
      const { log, commit } = committer(30);

      const outcome = await applyIsolating(batch, at(45), commit, policy, hooks());

      expect(outcome).toMatchObject({ kind: 'failed', failed: batch[2], attempts: 3 });
      expect(commits(log)).toEqual([
        [[10], 10],
        [[20], 20],
      ]);
    });

    it('stores the batch checkpoint with its last event when every event applies on its own', async () => {
      let whole = true;
      const { log, commit } = committer();
      const flaky = async (events: readonly RecordedEnvelope[], checkpoint: Position) => {
        if (whole && events.length > 1) throw sqlError('23505', 'only fails together');
        await commit(events, checkpoint);
      };

      expect(await applyIsolating(batch, at(45), flaky, policy, hooks())).toEqual({ kind: 'committed' });
      whole = false;
      expect(commits(log)).toEqual([
        [[10], 10],
        [[20], 20],
        [[30], 30],
        [[40], 45],
      ]);
    });
  });

  it('reports a single failing event without isolating it again', async () => {
    const { commit } = committer(10);
    const retry = hooks();

    const outcome = await applyIsolating([batch[0]], at(10), commit, policy, retry);

    expect(outcome).toMatchObject({ kind: 'failed', failed: batch[0], attempts: 3 });
    expect(retry.delays).toHaveLength(2);
  });
});
