import { RateMeter } from './rate-meter';

describe('RateMeter', () => {
  let now: number;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000_000;
  });

  it('divides what was committed within the window by the window', () => {
    const meter = new RateMeter(10_000, clock);
    now += 20_000;
    meter.record(500);
    now += 5_000;
    meter.record(1_500);

    expect(meter.perSecond()).toBe(200);
  });

  it('forgets batches older than the window', () => {
    const meter = new RateMeter(10_000, clock);
    now += 20_000;
    meter.record(5_000);
    now += 10_001;
    meter.record(100);

    expect(meter.perSecond()).toBe(10);
  });

  it('measures a young meter over its life, and at least a second, not over the whole window', () => {
    const meter = new RateMeter(10_000, clock);
    now += 10;
    meter.record(50);
    expect(meter.perSecond()).toBe(50);

    now += 1_990;
    meter.record(150);
    expect(meter.perSecond()).toBe(100);
  });

  it('counts the events about to be committed when asked to', () => {
    const meter = new RateMeter(10_000, clock);
    now += 10_000;

    expect(meter.perSecond(300)).toBe(30);
    expect(meter.perSecond()).toBe(0);
  });
});
