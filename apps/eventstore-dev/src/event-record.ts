/**
 * One event as stored in the journal and kept in memory: a fixed header
 * followed by the stream name, event type, data and custom metadata.
 *
 *   0  u32  record length (header included)
 *   4  u8   flags (1 = JSON content, 2 = tombstone)
 *   5  u8   reserved
 *   6  u16  stream name length
 *   8  u16  event type length
 *  10  u16  created, 100 ns ticks within the millisecond
 *  12  u32  data length
 *  16  u32  custom metadata length
 *  20  f64  stream revision
 *  28  f64  created, milliseconds since the Unix epoch
 *  36  16B  event id
 *  52  ...  stream name, event type, data, custom metadata
 */
export const RECORD_HEADER_SIZE = 52;

const FLAG_JSON = 1;
const FLAG_TOMBSTONE = 2;

export const MAX_NAME_BYTES = 0xffff;

export interface NewEvent {
  id: Buffer;
  type: string;
  isJson: boolean;
  data: Uint8Array;
  metadata: Uint8Array;
}

export interface EncodableRecord {
  streamName: Buffer;
  revision: number;
  tombstone: boolean;
  createdMs: number;
  createdSubTicks: number;
  event: NewEvent;
}

export function recordSize(streamName: Buffer, event: NewEvent): number {
  return (
    RECORD_HEADER_SIZE +
    streamName.length +
    Buffer.byteLength(event.type) +
    event.data.length +
    event.metadata.length
  );
}

/** Writes the record at `offset` and returns the offset just past it. */
export function encodeRecord(target: Buffer, offset: number, record: EncodableRecord): number {
  const { event } = record;
  const typeStart = offset + RECORD_HEADER_SIZE + record.streamName.length;
  const typeLength = target.write(event.type, typeStart, 'utf8');
  const dataStart = typeStart + typeLength;
  const metadataStart = dataStart + event.data.length;
  const end = metadataStart + event.metadata.length;

  target.writeUInt32LE(end - offset, offset);
  target.writeUInt8((event.isJson ? FLAG_JSON : 0) | (record.tombstone ? FLAG_TOMBSTONE : 0), offset + 4);
  target.writeUInt8(0, offset + 5);
  target.writeUInt16LE(record.streamName.length, offset + 6);
  target.writeUInt16LE(typeLength, offset + 8);
  target.writeUInt16LE(record.createdSubTicks, offset + 10);
  target.writeUInt32LE(event.data.length, offset + 12);
  target.writeUInt32LE(event.metadata.length, offset + 16);
  target.writeDoubleLE(record.revision, offset + 20);
  target.writeDoubleLE(record.createdMs, offset + 28);
  event.id.copy(target, offset + 36);
  record.streamName.copy(target, offset + RECORD_HEADER_SIZE);
  target.set(event.data, dataStart);
  target.set(event.metadata, metadataStart);
  return end;
}

/** Reads fields of a record in place, without copying its payload. */
export class RecordReader {
  constructor(
    readonly buffer: Buffer,
    readonly offset: number,
  ) {}

  get length(): number {
    return this.buffer.readUInt32LE(this.offset);
  }

  get isJson(): boolean {
    return (this.buffer[this.offset + 4] & FLAG_JSON) !== 0;
  }

  get isTombstone(): boolean {
    return (this.buffer[this.offset + 4] & FLAG_TOMBSTONE) !== 0;
  }

  get revision(): number {
    return this.buffer.readDoubleLE(this.offset + 20);
  }

  get createdMs(): number {
    return this.buffer.readDoubleLE(this.offset + 28);
  }

  get createdSubTicks(): number {
    return this.buffer.readUInt16LE(this.offset + 10);
  }

  /** .NET ticks (100 ns) since the Unix epoch, as the protocol's `created` carries them. */
  get createdTicks(): string {
    return `${this.createdMs}${String(this.createdSubTicks).padStart(4, '0')}`;
  }

  get id(): Buffer {
    return this.buffer.subarray(this.offset + 36, this.offset + 52);
  }

  private get streamNameLength(): number {
    return this.buffer.readUInt16LE(this.offset + 6);
  }

  private get typeLength(): number {
    return this.buffer.readUInt16LE(this.offset + 8);
  }

  private get dataLength(): number {
    return this.buffer.readUInt32LE(this.offset + 12);
  }

  get streamName(): Buffer {
    const start = this.offset + RECORD_HEADER_SIZE;
    return this.buffer.subarray(start, start + this.streamNameLength);
  }

  get type(): string {
    const start = this.offset + RECORD_HEADER_SIZE + this.streamNameLength;
    return this.buffer.toString('utf8', start, start + this.typeLength);
  }

  get typeBytes(): Buffer {
    const start = this.offset + RECORD_HEADER_SIZE + this.streamNameLength;
    return this.buffer.subarray(start, start + this.typeLength);
  }

  get data(): Buffer {
    const start = this.offset + RECORD_HEADER_SIZE + this.streamNameLength + this.typeLength;
    return this.buffer.subarray(start, start + this.dataLength);
  }

  get metadata(): Buffer {
    const start = this.offset + RECORD_HEADER_SIZE + this.streamNameLength + this.typeLength + this.dataLength;
    return this.buffer.subarray(start, start + this.buffer.readUInt32LE(this.offset + 16));
  }
}
