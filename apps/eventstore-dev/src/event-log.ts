import { RecordReader } from './event-record';

const ARENA_CHUNK_SIZE = 8 * 1024 * 1024;
const INITIAL_CAPACITY = 1024;

/**
 * Every event in commit order (the `$all` stream), kept as record bytes in a
 * few large arena buffers plus parallel typed arrays, so that a million
 * events cost a handful of allocations rather than a million objects.
 */
export class EventLog {
  private positions = new Float64Array(INITIAL_CAPACITY);
  private chunkIndexes = new Uint32Array(INITIAL_CAPACITY);
  private chunkOffsets = new Uint32Array(INITIAL_CAPACITY);
  private streamNumbers = new Uint32Array(INITIAL_CAPACITY);
  private readonly chunks: Buffer[] = [];
  private chunkUsed = 0;
  private size = 0;

  get count(): number {
    return this.size;
  }

  /**
   * Copies a commit's records (laid out back to back in `payload`, which sits
   * at journal offset `payloadPosition`) into the arena and indexes them.
   * Returns the log index of the first one.
   */
  appendCommit(payload: Buffer, payloadPosition: number, streamNumbers: readonly number[]): number {
    const first = this.size;
    const { chunkIndex, offset } = this.allocate(payload.length);
    const chunk = this.chunks[chunkIndex];
    payload.copy(chunk, offset);
    let cursor = 0;
    for (const streamNumber of streamNumbers) {
      this.ensureCapacity(this.size + 1);
      this.positions[this.size] = payloadPosition + cursor;
      this.chunkIndexes[this.size] = chunkIndex;
      this.chunkOffsets[this.size] = offset + cursor;
      this.streamNumbers[this.size] = streamNumber;
      this.size += 1;
      cursor += payload.readUInt32LE(cursor);
    }
    return first;
  }

  positionAt(index: number): number {
    return this.positions[index];
  }

  streamNumberAt(index: number): number {
    return this.streamNumbers[index];
  }

  recordAt(index: number): RecordReader {
    return new RecordReader(this.chunks[this.chunkIndexes[index]], this.chunkOffsets[index]);
  }

  /** Index of the first event whose position is >= `position` (count when none). */
  firstAtOrAfter(position: number, limit = this.size): number {
    let low = 0;
    let high = limit;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.positions[middle] < position) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private allocate(length: number): { chunkIndex: number; offset: number } {
    const current = this.chunks.length - 1;
    if (current >= 0 && this.chunkUsed + length <= this.chunks[current].length) {
      const offset = this.chunkUsed;
      this.chunkUsed += length;
      return { chunkIndex: current, offset };
    }
    this.chunks.push(Buffer.allocUnsafeSlow(Math.max(ARENA_CHUNK_SIZE, length)));
    this.chunkUsed = length;
    return { chunkIndex: this.chunks.length - 1, offset: 0 };
  }

  private ensureCapacity(needed: number): void {
    if (needed <= this.positions.length) return;
    const capacity = Math.max(needed, this.positions.length * 2);
    this.positions = grow(this.positions, new Float64Array(capacity));
    this.chunkIndexes = grow(this.chunkIndexes, new Uint32Array(capacity));
    this.chunkOffsets = grow(this.chunkOffsets, new Uint32Array(capacity));
    this.streamNumbers = grow(this.streamNumbers, new Uint32Array(capacity));
  }
}

function grow<T extends Float64Array | Uint32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
