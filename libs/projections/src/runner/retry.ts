import type { RecordedEnvelope, Position } from '@revops/event-store';

export interface RetryPolicy {
  /** Attempts at one batch (and then at each event of it) before the failure counts. */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
  /** Fraction (0..1) of each delay randomised away, so replicas do not retry in lockstep. */
  jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  initialDelayMs: 200,
  maxDelayMs: 5_000,
  multiplier: 2,
  jitter: 0.2,
};

/** Delay after failed attempt `attempt` (1-based): exponential, capped, jitter only shortens it. */
export function retryDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  const capped = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** (attempt - 1));
  return Math.round(capped * (1 - Math.min(1, Math.max(0, policy.jitter)) * random()));
}

// SQLSTATE classes and codes that say nothing about the events: the connection went, the
// server is shutting down or short of resources, or the transaction lost a race.
const TRANSIENT_SQLSTATE_CLASSES = ['08', '53', '57P'];
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03']);
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const TRANSIENT_MESSAGES = [
  /Connection terminated/i,
  /connection timeout/i,
  /Client has encountered a connection error/i,
  /timeout exceeded when trying to connect/i,
];

/**
 * Whether a failure of the read store would likely pass on its own. Such failures are retried
 * until they pass (or the runner stops) and never stall the projection: an outage of
 * PostgreSQL is not a poison event. Anything else counts towards the retry budget.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (typeof current !== 'object') return false;
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      if (TRANSIENT_SQLSTATES.has(code) || TRANSIENT_NODE_CODES.has(code)) return true;
      if (/^[0-9A-Z]{5}$/.test(code) && TRANSIENT_SQLSTATE_CLASSES.some((prefix) => code.startsWith(prefix))) return true;
    }
    if (typeof message === 'string' && TRANSIENT_MESSAGES.some((pattern) => pattern.test(message))) return true;
    // TypeORM wraps the driver's error; Error#cause carries others.
    const wrapper = current as { driverError?: unknown; cause?: unknown };
    current = wrapper.driverError ?? wrapper.cause;
  }
  return false;
}

export interface RetryHooks {
  isTransient(error: unknown): boolean;
  /** Checked before each wait: a stopping runner gives up and leaves the batch unapplied. */
  shouldStop(): boolean;
  sleep(ms: number): Promise<void>;
  /** Errors that must not be retried at all (a lost lease, a retired version). */
  isFatal(error: unknown): boolean;
  onRetry?(info: { attempt: number; delayMs: number; error: unknown; transient: boolean }): void;
  random?: () => number;
}

export type Attempted = { ok: true } | { ok: false; error: unknown; attempts: number } | { ok: 'stopped' };

/**
 * Runs `work` until it succeeds, the non-transient failures reach `maxAttempts`, or the
 * runner stops. Transient failures are retried without limit, at the capped delay.
 */
export async function attempt(work: () => Promise<void>, policy: RetryPolicy, hooks: RetryHooks): Promise<Attempted> {
  let failures = 0;
  let transientStreak = 0;
  for (;;) {
    try {
      await work();
      return { ok: true };
    } catch (error) {
      if (hooks.isFatal(error)) throw error;
      const transient = hooks.isTransient(error);
      if (transient) transientStreak++;
      else {
        failures++;
        transientStreak = 0;
        if (failures >= policy.maxAttempts) return { ok: false, error, attempts: failures };
      }
      if (hooks.shouldStop()) return { ok: 'stopped' };
      const delayMs = retryDelay(transient ? transientStreak : failures, policy, hooks.random);
      hooks.onRetry?.({ attempt: failures + transientStreak, delayMs, error, transient });
      await hooks.sleep(delayMs);
      if (hooks.shouldStop()) return { ok: 'stopped' };
    }
  }
}

/** Commits `events` and stores `checkpoint` in one transaction. */
export type CommitBatch = (events: readonly RecordedEnvelope[], checkpoint: Position) => Promise<void>;

export type BatchOutcome =
  | { kind: 'committed' }
  /** `failed` could not be applied; every event before it is committed, none after it. */
  | { kind: 'failed'; failed: RecordedEnvelope; error: unknown; attempts: number }
  | { kind: 'stopped' };

/**
 * Applies a batch with retries. When it keeps failing, the events are applied one by one,
 * each committed with its own position as the checkpoint, so the good events before the
 * poison one are kept and the checkpoint stops right before it.
 */
export async function applyIsolating(
  events: readonly RecordedEnvelope[],
  checkpoint: Position,
  commit: CommitBatch,
  policy: RetryPolicy,
  hooks: RetryHooks,
): Promise<BatchOutcome> {
  const whole = await attempt(() => commit(events, checkpoint), policy, hooks);
  if (whole.ok === true) return { kind: 'committed' };
  if (whole.ok === 'stopped') return { kind: 'stopped' };
  if (events.length === 1) return { kind: 'failed', failed: events[0], error: whole.error, attempts: whole.attempts };
  for (let index = 0; index < events.length; index++) {
    const event = events[index];
    const last = index === events.length - 1;
    const single = await attempt(() => commit([event], last ? checkpoint : event.position), policy, hooks);
    if (single.ok === 'stopped') return { kind: 'stopped' };
    if (single.ok === false) return { kind: 'failed', failed: event, error: single.error, attempts: single.attempts };
  }
  return { kind: 'committed' };
}
