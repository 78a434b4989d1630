import { DEFAULT_RUNNER_SETTINGS, runnerSettings } from './projection-runner';

describe('runnerSettings', () => {
  it('catches up in larger batches than it follows the head with, and queues a whole one', () => {
    const settings = runnerSettings();
    expect(settings.catchUpBatchSize).toBeGreaterThan(settings.maxBatchSize);
    expect(settings.queueCapacity).toBeGreaterThanOrEqual(settings.catchUpBatchSize);
  });

  it('bounds catching up too when only the batch size is given', () => {
    expect(runnerSettings({ maxBatchSize: 10 })).toMatchObject({ maxBatchSize: 10, catchUpBatchSize: 10 });
  });

  it('waits longer for a catch-up batch than for a live one, unless only the live wait is given', () => {
    expect(runnerSettings().catchUpBatchWaitMs).toBeGreaterThan(runnerSettings().maxBatchWaitMs);
    expect(runnerSettings({ maxBatchWaitMs: 5 })).toMatchObject({ maxBatchWaitMs: 5, catchUpBatchWaitMs: 5 });
    expect(runnerSettings({ maxBatchWaitMs: 5, catchUpBatchWaitMs: 300 })).toMatchObject({ maxBatchWaitMs: 5, catchUpBatchWaitMs: 300 });
  });

  it('keeps a catch-up batch size given on its own', () => {
    expect(runnerSettings({ maxBatchSize: 10, catchUpBatchSize: 500 })).toMatchObject({ maxBatchSize: 10, catchUpBatchSize: 500, queueCapacity: 2_000 });
    expect(runnerSettings({ catchUpBatchSize: 9_000 })).toMatchObject({ maxBatchSize: DEFAULT_RUNNER_SETTINGS.maxBatchSize, queueCapacity: 9_000 });
  });
});
