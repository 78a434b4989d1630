import { isMetastream, type StreamMetadata } from './stream-metadata';

/** One stream: its events as log indexes by revision, its tombstone and metadata. */
export class StreamState {
  readonly nameBytes: Buffer;
  readonly isMetastream: boolean;
  /** Log index of the event at each revision. */
  readonly events: number[] = [];
  tombstoneLogIndex = -1;
  /** Parsed from the latest event of this stream's metastream. */
  metadata: StreamMetadata | undefined;

  constructor(
    readonly number: number,
    readonly name: string,
  ) {
    this.nameBytes = Buffer.from(name, 'utf8');
    this.isMetastream = isMetastream(name);
  }

  get lastRevision(): number {
    return this.events.length - 1;
  }

  get isTombstoned(): boolean {
    return this.tombstoneLogIndex >= 0;
  }
}

export class StreamTable {
  private readonly byName = new Map<string, StreamState>();
  private readonly byNumber: StreamState[] = [];

  get(name: string): StreamState | undefined {
    return this.byName.get(name);
  }

  getOrCreate(name: string): StreamState {
    let stream = this.byName.get(name);
    if (!stream) {
      stream = new StreamState(this.byNumber.length, name);
      this.byName.set(name, stream);
      this.byNumber.push(stream);
    }
    return stream;
  }

  byStreamNumber(number: number): StreamState {
    return this.byNumber[number];
  }
}
