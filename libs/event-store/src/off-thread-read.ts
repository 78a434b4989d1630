import { EventEmitter } from 'node:events';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { toPosition, type Position, type RecordedEnvelope } from './envelope';
import { EventStoreFailureError, EventStoreUnavailableError } from './errors';
import { unpackEnvelope, type PackedEnvelope } from './serialization';
import { requireInteger } from './settings';
import type { ReaderControl, ReaderMessage, ReaderSettings } from './off-thread-read.worker';

export interface OffThreadReadOptions {
  connectionString: string;
  from: Position | 'start';
  filter: ReaderSettings['filter'];
  checkpointInterval: number;
  /** Awaited by nobody: the reading thread goes on meanwhile, and the count of events before it says when it is due. */
  checkpointReached(position: Position): unknown;
  /** Events per message from the reading thread (default 500). */
  batchSize?: number;
  /** Events the reading thread may send ahead of what has been read here (default 8 batches). */
  window?: number;
  /** How long a batch that is not full may wait on the reading thread for more events, while this side still has some to read (default 5 ms). */
  lingerMs?: number;
}

/**
 * The client hands over events one at a time as they come off the wire, and a thread that sent
 * each at once sent a message per event: over a rebuild's million events, a million messages,
 * each waking the subscription loop and the runners' batch queues here (about 97 events a
 * message with it; the rebuild's main thread spent a fifth less CPU). A batch that waits up to
 * this long for more events fills while this side is busy; the thread never waits when this
 * side has read everything it was sent.
 */
const DEFAULT_LINGER_MS = 5;

/** How long unsubscribe() lets the reading thread let go of its connection before ending it. */
const STOP_TIMEOUT_MS = 5_000;

/**
 * A catch-up subscription to `$all` read by a worker thread: the thread runs the client,
 * which receives and decodes each event, makes its envelope (`data` as stored) and hands the
 * envelopes over in batches. To the subscription loop it looks like the client's own stream
 * (read(), readableLength, and its 'readable', 'end', 'error', 'confirmation' and 'caughtUp'
 * events), with checkpoints reported after the events before them have arrived.
 */
export class OffThreadRead extends EventEmitter {
  private readonly worker: Worker;
  private readonly batchSize: number;
  private batches: PackedEnvelope[][] = [];
  /** The next event's place in the first batch. */
  private index = 0;
  private queued = 0;
  private taken = 0;
  private reported = 0;
  private finished = false;
  private readonly exited: Promise<void>;

  constructor(private readonly options: OffThreadReadOptions) {
    super();
    requireInteger(options.batchSize, 'batchSize', 1);
    requireInteger(options.window, 'window', 1);
    requireInteger(options.lingerMs, 'lingerMs', 0);
    this.batchSize = options.batchSize ?? 500;
    const settings: ReaderSettings = {
      connectionString: options.connectionString,
      from: options.from,
      filter: options.filter,
      checkpointInterval: options.checkpointInterval,
      batchSize: this.batchSize,
      window: options.window ?? 8 * this.batchSize,
      lingerMs: options.lingerMs ?? DEFAULT_LINGER_MS,
    };
    this.worker = new Worker(workerSource(), { eval: true, workerData: settings });
    // A read left behind never keeps the process alive.
    this.worker.unref();
    this.worker.on('message', (message: ReaderMessage) => this.receive(message));
    this.worker.on('error', (error: Error) => this.fail(new EventStoreFailureError(`The reading thread failed: ${error.message}`, { cause: error })));
    this.exited = new Promise<void>((resolve) =>
      this.worker.once('exit', () => {
        // Without an end or a failure first, the read simply stopped: the loop reconnects.
        if (!this.finished) this.finish('close');
        resolve();
      }),
    );
  }

  /** Events arrived and not yet read. */
  get readableLength(): number {
    return this.queued;
  }

  read(): RecordedEnvelope | null {
    const batch = this.batches[0];
    if (batch === undefined) return null;
    const item = batch[this.index++];
    if (this.index === batch.length) {
      this.batches.shift();
      this.index = 0;
    }
    this.queued--;
    this.taken++;
    if (this.queued === 0 || this.taken - this.reported >= this.batchSize) this.report();
    return unpackEnvelope(item);
  }

  /** Asks the reading thread to let go of its connection, and waits for it to end (bounded). */
  async unsubscribe(): Promise<void> {
    this.send({ kind: 'stop' });
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_TIMEOUT_MS)));
    await Promise.race([this.exited, bound]).finally(() => clearTimeout(timer));
  }

  destroy(): void {
    this.batches = [];
    this.queued = 0;
    void this.worker.terminate();
  }

  private receive(message: ReaderMessage): void {
    switch (message.kind) {
      case 'events':
        this.batches.push(message.events);
        this.queued += message.events.length;
        this.emit('readable');
        return;
      case 'checkpoint':
        this.options.checkpointReached(toPosition(message.position));
        return;
      case 'caughtUp':
      case 'confirmation':
        this.emit(message.kind);
        return;
      case 'end':
        this.finish('end');
        return;
      case 'failed':
        this.fail(message.transient ? new EventStoreUnavailableError(message.message) : new EventStoreFailureError(message.message));
        return;
    }
  }

  private report(): void {
    this.reported = this.taken;
    this.send({ kind: 'taken', count: this.taken });
  }

  private send(control: ReaderControl): void {
    if (!this.finished) this.worker.postMessage(control);
  }

  private fail(error: Error): void {
    if (this.finished) return;
    this.finished = true;
    this.emit('error', error);
  }

  private finish(event: 'end' | 'close'): void {
    this.finished = true;
    this.emit(event);
  }
}

/**
 * The reading thread's entry. From the TypeScript sources (tests, tsx) the worker compiles
 * them on the way in, as the process that started it does.
 */
function workerSource(): string {
  const typescript = extname(__filename) === '.ts';
  const entry = join(__dirname, `off-thread-read.worker${typescript ? '.ts' : '.js'}`);
  return [
    "const { parentPort, workerData } = require('node:worker_threads');",
    typescript ? `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();` : '',
    `require(${JSON.stringify(entry)}).readAll(parentPort, workerData);`,
  ].join('\n');
}
