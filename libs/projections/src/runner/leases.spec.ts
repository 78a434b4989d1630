import { InProcessLeases, leaseKey } from './leases';

describe('leaseKey', () => {
  it('is a stable signed 64-bit integer per projection version', () => {
    const key = leaseKey('pipeline', 1);

    expect(leaseKey('pipeline', 1)).toBe(key);
    expect(BigInt(key)).toBeGreaterThanOrEqual(-(2n ** 63n));
    expect(BigInt(key)).toBeLessThan(2n ** 63n);
    expect(new Set([key, leaseKey('pipeline', 2), leaseKey('funnel', 1)]).size).toBe(3);
  });
});

describe('InProcessLeases', () => {
  it('grants a projection version to one runner at a time', async () => {
    const leases = new InProcessLeases();
    const first = await leases.acquire('leased_spec', 1, 5, new AbortController().signal);
    let second: unknown;
    const waiting = leases.acquire('leased_spec', 1, 5, new AbortController().signal).then((lease) => (second = lease));
    const otherVersion = await leases.acquire('leased_spec', 2, 5, new AbortController().signal);
    await new Promise((resolve) => setTimeout(resolve, 30));

    expect(second).toBeUndefined();
    await first?.release();
    await waiting;
    expect(second).toBeDefined();
    await Promise.all([(await waiting)?.release(), otherVersion?.release()]);
  });

  it('stops waiting when the runner stops', async () => {
    const leases = new InProcessLeases();
    const held = await leases.acquire('aborted_spec', 1, 5, new AbortController().signal);
    const stop = new AbortController();
    const waiting = leases.acquire('aborted_spec', 1, 5, stop.signal);
    stop.abort();

    await expect(waiting).resolves.toBeUndefined();
    await held?.release();
  });
});
