import { backoffDelay, DEFAULT_RECONNECT_BACKOFF, type BackoffPolicy } from './backoff';

const noJitter: BackoffPolicy = { initialDelayMs: 100, maxDelayMs: 1_000, multiplier: 2, jitter: 0 };

describe('backoffDelay', () => {
  it('doubles from the initial delay on each attempt', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, noJitter))).toEqual([100, 200, 400, 800]);
  });

  it('never exceeds the cap, however many attempts failed', () => {
    expect([5, 6, 50, 5_000].map((attempt) => backoffDelay(attempt, noJitter))).toEqual([1_000, 1_000, 1_000, 1_000]);
  });

  it('shortens a delay by at most the jitter fraction', () => {
    const policy = { ...noJitter, jitter: 0.5 };
    expect(backoffDelay(3, policy, () => 0)).toBe(400);
    expect(backoffDelay(3, policy, () => 0.999999)).toBe(200);
    expect(backoffDelay(20, policy, () => 0)).toBe(1_000);
  });

  it('starts quickly and stays within a few seconds by default', () => {
    expect(backoffDelay(1, DEFAULT_RECONNECT_BACKOFF, () => 0)).toBe(100);
    expect(backoffDelay(100, DEFAULT_RECONNECT_BACKOFF, () => 0)).toBe(5_000);
  });

  it('rejects an attempt number below 1', () => {
    expect(() => backoffDelay(0, noJitter)).toThrow(RangeError);
  });
});
