import type { NewEvent } from './event-record';
import type { EventIdIndex } from './event-id-index';
import type { EventLog } from './event-log';
import { StreamDeletedError, WrongExpectedVersionError } from './errors';
import type { ExpectedRevision } from './expected-revision';
import type { StreamState, StreamTable } from './stream-log';
import { isSoftDeleted } from './stream-metadata';

export type AppendDecision = { kind: 'write' } | { kind: 'idempotent'; logIndex: number };

/**
 * The server's rules for writes: expected revisions against the stream's
 * state (missing, metadata only, soft-deleted, tombstoned) and idempotent
 * re-appends. They throw the error the client should see.
 */
export class WriteRules {
  constructor(
    private readonly log: EventLog,
    private readonly ids: EventIdIndex,
    private readonly streams: StreamTable,
  ) {}

  decideAppend(
    streamName: string,
    stream: StreamState | undefined,
    expected: ExpectedRevision,
    events: NewEvent[],
  ): AppendDecision {
    if (stream?.isTombstoned || this.isMetastreamOfTombstoned(streamName)) {
      // Only the version check runs for an empty append, and it passes for these two.
      if (events.length === 0 && (expected.kind === 'any' || expected.kind === 'no_stream')) return { kind: 'write' };
      throw new StreamDeletedError(streamName);
    }
    const lastRevision = stream?.lastRevision ?? -1;
    const softDeleted = isSoftDeleted(stream?.metadata);
    switch (expected.kind) {
      case 'any':
        return this.recentlyWritten(streamName, stream, expected, events);
      case 'stream_exists':
        if (softDeleted) throw new StreamDeletedError(streamName);
        if (lastRevision < 0 && !stream?.metadata) throw new WrongExpectedVersionError(streamName, expected, -1);
        return this.recentlyWritten(streamName, stream, expected, events);
      case 'no_stream':
        if (lastRevision < 0 || softDeleted) return { kind: 'write' };
        return this.writtenAt(streamName, stream, expected, -1, events);
      case 'exact':
        if (expected.revision === lastRevision) return { kind: 'write' };
        if (expected.revision < lastRevision && events.length > 0) {
          return this.writtenAt(streamName, stream, expected, expected.revision, events);
        }
        throw new WrongExpectedVersionError(streamName, expected, lastRevision);
    }
  }

  /**
   * Idempotency for an exact expected revision: the same ids must already
   * sit right after it. A partial match is not idempotent and is reported as
   * a wrong expected version, as the server does for corrupted idempotency.
   */
  private writtenAt(
    streamName: string,
    stream: StreamState | undefined,
    expected: ExpectedRevision,
    afterRevision: number,
    events: NewEvent[],
  ): AppendDecision {
    const lastRevision = stream?.lastRevision ?? -1;
    for (let index = 0; index < events.length; index += 1) {
      const revision = afterRevision + 1 + index;
      if (!stream || revision > lastRevision || !this.log.recordAt(stream.events[revision]).id.equals(events[index].id)) {
        throw new WrongExpectedVersionError(streamName, expected, lastRevision);
      }
    }
    return { kind: 'idempotent', logIndex: stream!.events[afterRevision + events.length] };
  }

  /** Idempotency for `any` / `stream_exists`: the ids are looked up among the stream's events. */
  private recentlyWritten(
    streamName: string,
    stream: StreamState | undefined,
    expected: ExpectedRevision,
    events: NewEvent[],
  ): AppendDecision {
    if (!stream || events.length === 0) return { kind: 'write' };
    let logIndex = -1;
    for (let index = 0; index < events.length; index += 1) {
      const found = this.ids.find(events[index].id);
      const inStream = found >= 0 && this.log.streamNumberAt(found) === stream.number;
      if (!inStream) {
        if (index === 0) return { kind: 'write' };
        throw new WrongExpectedVersionError(streamName, expected, stream.lastRevision);
      }
      logIndex = found;
    }
    return { kind: 'idempotent', logIndex };
  }

  checkSoftDelete(streamName: string, stream: StreamState | undefined, expected: ExpectedRevision): void {
    if (stream?.isTombstoned) throw new StreamDeletedError(streamName);
    // A stream that never existed cannot be deleted, whatever was expected.
    if (!stream || (stream.lastRevision < 0 && !stream.metadata)) {
      throw new WrongExpectedVersionError(streamName, expected, -1);
    }
    this.checkExpectedForDeletion(streamName, stream, expected);
  }

  checkTombstone(streamName: string, stream: StreamState | undefined, expected: ExpectedRevision): void {
    if (stream?.isTombstoned) throw new StreamDeletedError(streamName);
    this.checkExpectedForDeletion(streamName, stream, expected);
  }

  private checkExpectedForDeletion(streamName: string, stream: StreamState | undefined, expected: ExpectedRevision): void {
    const lastRevision = stream?.lastRevision ?? -1;
    const exists = lastRevision >= 0 || stream?.metadata !== undefined;
    const matches =
      expected.kind === 'any' ||
      (expected.kind === 'no_stream' && lastRevision < 0) ||
      (expected.kind === 'stream_exists' && exists) ||
      (expected.kind === 'exact' && expected.revision === lastRevision);
    if (!matches) throw new WrongExpectedVersionError(streamName, expected, lastRevision);
  }

  private isMetastreamOfTombstoned(streamName: string): boolean {
    return streamName.startsWith('$$') && this.streams.get(streamName.slice(2))?.isTombstoned === true;
  }
}
