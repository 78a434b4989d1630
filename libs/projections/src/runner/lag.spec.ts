import { estimateLagEvents, lagSeconds, projectionState, type LagScan } from './lag';
import { at } from './testing/envelopes';

const NOW = new Date('2024-05-02T12:00:00.000Z');

function aScan(overrides: Partial<LagScan> = {}): LagScan {
  return {
    scanned: 0,
    matched: 0,
    reachedEnd: true,
    firstScanned: null,
    lastScanned: null,
    lastScannedRecordedAt: null,
    oldestPendingRecordedAt: null,
    ...overrides,
  };
}

describe('estimateLagEvents', () => {
  it('counts the consumed events exactly when the scan reached the end of the log', () => {
    const scan = aScan({ scanned: 12, matched: 5, lastScanned: at(2_400) });

    expect(estimateLagEvents(at(1_000), at(2_400), scan)).toEqual({ events: 5, exact: true });
  });

  it('extrapolates the share of consumed events over the rest of the log when the scan stopped at its limit', () => {
    // 100 events scanned over 10,000 bytes of log, 25 of them consumed; 30,000 bytes to go.
    const scan = aScan({ scanned: 100, matched: 25, reachedEnd: false, firstScanned: at(1_100), lastScanned: at(11_000) });

    expect(estimateLagEvents(at(1_000), at(41_000), scan)).toEqual({ events: 100, exact: false });
  });

  it('measures from the first scanned event when nothing was applied yet', () => {
    const scan = aScan({ scanned: 10, matched: 10, reachedEnd: false, firstScanned: at(0), lastScanned: at(1_000) });

    expect(estimateLagEvents(null, at(5_000), scan)).toEqual({ events: 50, exact: false });
  });

  it('keeps what it counted when positions do not tell how far the log goes', () => {
    const scan = aScan({ scanned: 10, matched: 4, reachedEnd: false, firstScanned: at(500), lastScanned: at(500) });

    expect(estimateLagEvents(at(500), at(900), scan)).toEqual({ events: 4, exact: false });
  });
});

describe('lagSeconds', () => {
  it('is zero when nothing is pending, however old the last event applied', () => {
    expect(lagSeconds(NOW, { events: 0, exact: true }, aScan())).toBe(0);
  });

  it('is the age of the oldest event still to apply', () => {
    const scan = aScan({ matched: 3, oldestPendingRecordedAt: new Date('2024-05-02T11:59:30.000Z') });

    expect(lagSeconds(NOW, { events: 3, exact: true }, scan)).toBe(30);
  });

  it('falls back on the last scanned event when the scan found none to apply yet', () => {
    const scan = aScan({ reachedEnd: false, lastScannedRecordedAt: new Date('2024-05-02T11:58:00.000Z') });

    expect(lagSeconds(NOW, { events: 12, exact: false }, scan)).toBe(120);
  });
});

describe('projectionState', () => {
  it.each([
    ['building', 7, 'rebuilding'],
    ['live', 0, 'caught_up'],
    ['live', 7, 'running'],
    ['live', null, 'running'],
    ['failed', 7, 'stalled'],
    ['retired', null, 'retired'],
  ] as const)('reads %s with a lag of %s events as %s', (status, lag, state) => {
    expect(projectionState(status, lag)).toBe(state);
  });
});
