import { randomUUID } from 'node:crypto';
import { encodeRecord, recordSize, RecordReader, type EncodableRecord, type NewEvent } from './event-record';
import { EventIdIndex } from './event-id-index';
import { EventLog } from './event-log';
import { WriteRules } from './write-rules';
import type { ExpectedRevision } from './expected-revision';
import { FRAME_HEADER_SIZE, Journal, type JournalRecovery } from './journal';
import { StreamState, StreamTable } from './stream-log';
import {
  isSoftDeleted,
  METASTREAM_MAX_COUNT,
  metastreamOf,
  parseStreamMetadata,
  SOFT_DELETE_METADATA,
  undeleteMetadata,
  type StreamMetadata,
} from './stream-metadata';
import { parseUuid } from './uuid';

export interface AppendOutcome {
  /** -1 when the stream has no events. */
  currentRevision: number;
  position: number | undefined;
}

export type StreamReadView =
  | { kind: 'not_found' }
  | { kind: 'deleted' }
  | { kind: 'found'; stream: StreamState; firstRevision: number; lastRevision: number; maxAgeSeconds?: number };

type CommitListener = (firstLogIndex: number, count: number) => void;

const EMPTY = Buffer.alloc(0);

/**
 * The event store proper: streams over one durable log. Writes are checked
 * and indexed at once (so concurrent appends see each other) but become
 * readable, and are acknowledged, only once their journal frame is synced.
 */
export class DevEventStore {
  readonly log = new EventLog();
  private readonly streams = new StreamTable();
  private readonly ids = new EventIdIndex((logIndex) => this.log.recordAt(logIndex).id);
  private readonly rules = new WriteRules(this.log, this.ids, this.streams);
  private durable = 0;
  private readonly durableWaiters: { count: number; resolve: () => void }[] = [];
  private readonly listeners = new Set<CommitListener>();
  private journal: Journal | undefined;
  private failure: Error | undefined;

  static async open(dataDir: string): Promise<{ store: DevEventStore; recovery: JournalRecovery }> {
    const store = new DevEventStore();
    const { journal, recovery } = await Journal.open(dataDir, ({ offset, payload }) =>
      store.indexCommit(payload, offset + FRAME_HEADER_SIZE),
    );
    store.journal = journal;
    store.durable = store.log.count;
    return { store, recovery };
  }

  /** Events [0, durableCount) of the log are on disk and may be read. */
  get durableCount(): number {
    return this.durable;
  }

  streamByNumber(number: number): StreamState {
    return this.streams.byStreamNumber(number);
  }

  findStream(name: string): StreamState | undefined {
    return this.streams.get(name);
  }

  /** Calls `listener` after each commit becomes durable; returns the unregister function. */
  onCommitted(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async append(streamName: string, expected: ExpectedRevision, events: NewEvent[]): Promise<AppendOutcome> {
    this.assertWritable();
    const existing = this.streams.get(streamName);
    const decision = this.refuseAfterPendingCommits(() => this.rules.decideAppend(streamName, existing, expected, events));
    if (decision instanceof Promise) return decision;
    if (decision.kind === 'idempotent') {
      await this.whenDurable(decision.logIndex + 1);
      return {
        currentRevision: this.log.recordAt(decision.logIndex).revision,
        position: this.log.positionAt(decision.logIndex),
      };
    }
    if (events.length === 0) {
      await this.whenDurable(this.log.count);
      return { currentRevision: existing?.lastRevision ?? -1, position: undefined };
    }

    const stream = existing ?? this.streams.getOrCreate(streamName);
    const firstRevision = stream.lastRevision + 1;
    const records: EncodableRecord[] = events.map((event, index) =>
      this.record(stream, firstRevision + index, event),
    );
    if (stream.metadata && isSoftDeleted(stream.metadata)) {
      // Appending to a soft-deleted stream brings it back with only the new events visible.
      records.push(this.metadataRecord(stream.name, undeleteMetadata(stream.metadata, firstRevision)));
    }
    const firstLogIndex = await this.commit(records);
    const lastLogIndex = firstLogIndex + events.length - 1;
    return { currentRevision: firstRevision + events.length - 1, position: this.log.positionAt(lastLogIndex) };
  }

  /** Soft delete: hides the stream's events behind `$tb`; a later append revives it. */
  async softDelete(streamName: string, expected: ExpectedRevision): Promise<number> {
    this.assertWritable();
    const refused = this.refuseAfterPendingCommits(() => this.rules.checkSoftDelete(streamName, this.streams.get(streamName), expected));
    if (refused instanceof Promise) return refused;
    const firstLogIndex = await this.commit([
      this.metadataRecord(streamName, Buffer.from(SOFT_DELETE_METADATA, 'utf8')),
    ]);
    return this.log.positionAt(firstLogIndex);
  }

  /** Hard delete: a `$streamDeleted` event; the stream name can never be used again. */
  async tombstone(streamName: string, expected: ExpectedRevision): Promise<number> {
    this.assertWritable();
    const refused = this.refuseAfterPendingCommits(() => this.rules.checkTombstone(streamName, this.streams.get(streamName), expected));
    if (refused instanceof Promise) return refused;
    const target = this.streams.getOrCreate(streamName);
    const firstLogIndex = await this.commit([
      {
        streamName: target.nameBytes,
        revision: -1,
        tombstone: true,
        ...createdNow(),
        event: { id: newEventId(), type: '$streamDeleted', isJson: false, data: EMPTY, metadata: EMPTY },
      },
    ]);
    return this.log.positionAt(firstLogIndex);
  }

  /** What a read of `streamName` may see now: its visible revision window, or why there is none. */
  readView(streamName: string): StreamReadView {
    const stream = this.streams.get(streamName);
    if (!stream) return { kind: 'not_found' };
    if (this.isTombstoneDurable(stream)) return { kind: 'deleted' };
    const lastRevision = this.durableLastRevision(stream);
    if (lastRevision < 0) return { kind: 'not_found' };
    const metadata: StreamMetadata | undefined = stream.isMetastream
      ? { maxCount: METASTREAM_MAX_COUNT, raw: {} }
      : stream.metadata;
    if (isSoftDeleted(metadata)) return { kind: 'not_found' };
    const firstRevision = Math.max(
      0,
      metadata?.maxCount !== undefined ? lastRevision - metadata.maxCount + 1 : 0,
      metadata?.truncateBefore ?? 0,
    );
    return { kind: 'found', stream, firstRevision, lastRevision, maxAgeSeconds: metadata?.maxAgeSeconds };
  }

  /**
   * The event a `$>` link points at (its data is `revision@stream`), or
   * undefined when that event is gone or hidden by the stream's metadata.
   */
  resolveLink(linkData: Buffer): number | undefined {
    const text = linkData.toString('utf8');
    const separator = text.indexOf('@');
    const revision = Number(text.slice(0, separator));
    if (separator <= 0 || !Number.isSafeInteger(revision)) return undefined;
    const view = this.readView(text.slice(separator + 1));
    if (view.kind !== 'found' || revision < view.firstRevision || revision > view.lastRevision) return undefined;
    const logIndex = view.stream.events[revision];
    const expired =
      view.maxAgeSeconds !== undefined && this.log.recordAt(logIndex).createdMs < Date.now() - view.maxAgeSeconds * 1000;
    return expired ? undefined : logIndex;
  }

  isTombstoneDurable(stream: StreamState): boolean {
    return stream.tombstoneLogIndex >= 0 && stream.tombstoneLogIndex < this.durable;
  }

  /** The last revision of `stream` that is durable, -1 when none. */
  durableLastRevision(stream: StreamState): number {
    let last = stream.lastRevision;
    while (last >= 0 && stream.events[last] >= this.durable) last -= 1;
    return last;
  }

  async close(): Promise<void> {
    this.failure ??= new Error('The event store is closed');
    await this.journal?.close();
  }

  private record(stream: StreamState, revision: number, event: NewEvent): EncodableRecord {
    return { streamName: stream.nameBytes, revision, tombstone: false, ...createdNow(), event };
  }

  private metadataRecord(streamName: string, data: Buffer): EncodableRecord {
    const metastream = this.streams.getOrCreate(metastreamOf(streamName));
    return this.record(metastream, metastream.lastRevision + 1, {
      id: newEventId(),
      type: '$metadata',
      isJson: true,
      data,
      metadata: EMPTY,
    });
  }

  /** Journals and indexes one commit; resolves with its first log index once durable. */
  private async commit(records: EncodableRecord[]): Promise<number> {
    const journal = this.journal!;
    const size = records.reduce((total, record) => total + recordSize(record.streamName, record.event), 0);
    const frame = Buffer.allocUnsafe(FRAME_HEADER_SIZE + size);
    let cursor = FRAME_HEADER_SIZE;
    for (const record of records) cursor = encodeRecord(frame, cursor, record);
    const { offset, durable } = journal.write(frame.subarray(0, cursor));
    const firstLogIndex = this.indexCommit(frame.subarray(FRAME_HEADER_SIZE, cursor), offset + FRAME_HEADER_SIZE);
    try {
      await durable;
    } catch (error) {
      this.failure = error as Error;
      throw error;
    }
    this.markDurable(firstLogIndex + records.length);
    return firstLogIndex;
  }

  private indexCommit(payload: Buffer, payloadPosition: number): number {
    const streamNumbers: number[] = [];
    for (let cursor = 0; cursor < payload.length; ) {
      const record = new RecordReader(payload, cursor);
      streamNumbers.push(this.streams.getOrCreate(record.streamName.toString('utf8')).number);
      cursor += record.length;
    }
    const firstLogIndex = this.log.appendCommit(payload, payloadPosition, streamNumbers);
    streamNumbers.forEach((streamNumber, index) => {
      const logIndex = firstLogIndex + index;
      const record = this.log.recordAt(logIndex);
      const stream = this.streams.byStreamNumber(streamNumber);
      this.ids.add(record.id, logIndex);
      if (record.isTombstone) {
        stream.tombstoneLogIndex = logIndex;
        return;
      }
      stream.events.push(logIndex);
      if (stream.isMetastream) {
        this.streams.getOrCreate(stream.name.slice(2)).metadata = parseStreamMetadata(record.data);
      }
    });
    return firstLogIndex;
  }

  private markDurable(count: number): void {
    if (count <= this.durable) return;
    const first = this.durable;
    this.durable = count;
    for (let index = this.durableWaiters.length - 1; index >= 0; index -= 1) {
      if (this.durableWaiters[index].count <= count) this.durableWaiters.splice(index, 1)[0].resolve();
    }
    for (const listener of this.listeners) listener(first, count - first);
  }

  /**
   * Runs a write check synchronously, so that no other write can slip in between the
   * check and the commit. A refusal comes back as a promise that rejects only once every
   * commit already indexed is durable: a client that reloads after a WrongExpectedVersion
   * can then read the revision the error named.
   */
  private refuseAfterPendingCommits<T>(check: () => T): T | Promise<never> {
    try {
      return check();
    } catch (error) {
      return this.whenDurable(this.log.count).then(() => Promise.reject(error));
    }
  }

  private whenDurable(count: number): Promise<void> {
    if (count <= this.durable) return Promise.resolve();
    return new Promise((resolve) => this.durableWaiters.push({ count, resolve }));
  }

  private assertWritable(): void {
    if (this.failure) throw this.failure;
  }
}

function createdNow(): { createdMs: number; createdSubTicks: number } {
  const now = performance.timeOrigin + performance.now();
  const createdMs = Math.floor(now);
  return { createdMs, createdSubTicks: Math.min(9999, Math.floor((now - createdMs) * 10_000)) };
}

function newEventId(): Buffer {
  return parseUuid(randomUUID())!;
}
