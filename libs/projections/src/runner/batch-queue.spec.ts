import { BatchQueue, type Taken } from './batch-queue';
import { anEnvelope, at } from './testing/envelopes';

function batchOf(taken: Taken) {
  if (taken.kind !== 'batch') throw new Error(`expected a batch, got ${taken.kind}`);
  const { events, checkpoint, caughtUp } = taken.batch;
  return { commits: events.map((event) => Number(event.position.commit)), checkpoint, caughtUp };
}

describe('BatchQueue', () => {
  const limits = { maxBatchSize: 3, maxBatchWaitMs: 30, capacity: 6 };

  it('closes a batch when it holds maxBatchSize events, leaving the rest for the next one', async () => {
    const queue = new BatchQueue(limits);
    for (const commit of [10, 20, 30, 40]) await queue.push(anEnvelope(commit));

    expect(batchOf(await queue.take(100))).toEqual({ commits: [10, 20, 30], checkpoint: at(30), caughtUp: false });
    expect(queue.size).toBe(1);
  });

  it('takes up to catchUpBatchSize events until the subscription has caught up, then maxBatchSize', async () => {
    const queue = new BatchQueue({ ...limits, catchUpBatchSize: 5, capacity: 10 });
    for (const commit of [10, 20, 30, 40, 50, 60]) await queue.push(anEnvelope(commit));
    queue.caughtUp();
    for (const commit of [70, 80, 90, 100]) await queue.push(anEnvelope(commit));

    expect(batchOf(await queue.take(100)).commits).toEqual([10, 20, 30, 40, 50]);
    expect(batchOf(await queue.take(100))).toEqual({ commits: [60], checkpoint: at(60), caughtUp: true });
    expect(batchOf(await queue.take(100)).commits).toEqual([70, 80, 90]);
  });

  it('closes a smaller batch maxBatchWaitMs after its first event arrived', async () => {
    const queue = new BatchQueue(limits);
    await queue.push(anEnvelope(10));
    const started = Date.now();
    const taking = queue.take(1_000);
    setTimeout(() => void queue.push(anEnvelope(20)), 5);

    expect(batchOf(await taking).commits).toEqual([10, 20]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('waits catchUpBatchWaitMs for a full batch while catching up, then maxBatchWaitMs', async () => {
    const queue = new BatchQueue({ ...limits, catchUpBatchSize: 3, catchUpBatchWaitMs: 200 });
    await queue.push(anEnvelope(10));
    setTimeout(() => void queue.push(anEnvelope(20)), 80);
    setTimeout(() => void queue.push(anEnvelope(30)), 120);
    let started = Date.now();

    expect(batchOf(await queue.take(1_000)).commits).toEqual([10, 20, 30]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);

    queue.caughtUp();
    await queue.push(anEnvelope(40));
    expect(batchOf(await queue.take(1_000))).toMatchObject({ commits: [], caughtUp: true });
    setTimeout(() => void queue.push(anEnvelope(50)), 80);
    started = Date.now();

    expect(batchOf(await queue.take(1_000)).commits).toEqual([40]);
    expect(Date.now() - started).toBeLessThan(75);
  });

  it('closes a batch at once when the subscription has caught up', async () => {
    const queue = new BatchQueue({ ...limits, maxBatchWaitMs: 10_000 });
    await queue.push(anEnvelope(10));
    queue.caughtUp();
    await queue.push(anEnvelope(20));

    const started = Date.now();

    expect(batchOf(await queue.take(100))).toEqual({ commits: [10], checkpoint: at(10), caughtUp: true });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('stores the checkpoint the subscription reported past the last event, and a checkpoint alone as an empty batch', async () => {
    const queue = new BatchQueue(limits);
    await queue.push(anEnvelope(10));
    queue.checkpoint(at(55));

    expect(batchOf(await queue.take(100))).toEqual({ commits: [10], checkpoint: at(55), caughtUp: false });

    queue.checkpoint(at(90));
    expect(batchOf(await queue.take(100))).toEqual({ commits: [], checkpoint: at(90), caughtUp: false });
  });

  it('makes the producer wait while the queue is full', async () => {
    const queue = new BatchQueue(limits);
    for (const commit of [1, 2, 3, 4, 5, 6]) await queue.push(anEnvelope(commit));
    let queued = false;
    const full = queue.push(anEnvelope(7));
    expect(full).toBeInstanceOf(Promise);
    const pushing = Promise.resolve(full).then((accepted) => (queued = accepted));
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(queued).toBe(false);
    await queue.take(0);
    await pushing;
    expect(queued).toBe(true);
  });

  it('queues at once while there is room, without a promise to wait on', () => {
    const queue = new BatchQueue(limits);
    expect(queue.push(anEnvelope(1))).toBe(true);
    expect(queue.size).toBe(1);
    queue.close();
    expect(queue.push(anEnvelope(2))).toBe(false);
    expect(queue.size).toBe(1);
  });

  it('reports idle when nothing arrives in time', async () => {
    expect(await new BatchQueue(limits).take(10)).toEqual({ kind: 'idle' });
  });

  describe('when closed', () => {
    it('releases a waiting producer without queuing its event', async () => {
      const queue = new BatchQueue(limits);
      for (const commit of [1, 2, 3, 4, 5, 6]) await queue.push(anEnvelope(commit));
      const pushing = queue.push(anEnvelope(7));
      queue.close();

      await expect(pushing).resolves.toBe(false);
    });

    it('still hands out what was queued, then the error the producer failed with', async () => {
      const queue = new BatchQueue(limits);
      await queue.push(anEnvelope(10));
      const failure = new Error('subscription failed');
      queue.close(failure);

      expect(batchOf(await queue.take(100)).commits).toEqual([10]);
      expect(await queue.take(100)).toEqual({ kind: 'closed', error: failure });
    });
  });

  it('refuses limits that cannot hold one full batch', () => {
    expect(() => new BatchQueue({ maxBatchSize: 10, maxBatchWaitMs: 5, capacity: 5 })).toThrow(
      'capacity must hold at least one full batch',
    );
  });
});
