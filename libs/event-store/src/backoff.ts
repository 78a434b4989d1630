export interface BackoffPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
  /** Fraction (0..1) of each delay that is randomised away, so many clients do not reconnect in lockstep. */
  jitter: number;
}

export const DEFAULT_RECONNECT_BACKOFF: BackoffPolicy = {
  initialDelayMs: 100,
  maxDelayMs: 5_000,
  multiplier: 2,
  jitter: 0.2,
};

/**
 * Delay before reconnect attempt `attempt` (1-based): exponential growth from
 * `initialDelayMs`, capped at `maxDelayMs`, then shortened by up to `jitter` of itself.
 * Jitter only ever shortens, so the cap holds.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  const exponential = policy.initialDelayMs * policy.multiplier ** (attempt - 1);
  const capped = Math.min(policy.maxDelayMs, exponential);
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  return Math.round(capped * (1 - jitter * random()));
}
