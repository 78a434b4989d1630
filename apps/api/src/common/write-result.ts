import type { HandleResult } from '@revops/event-store';

/** Where a write landed in the `$all` log; 64-bit values travel as decimal strings. */
export type CommitPositionResult = { readonly commit: string; readonly prepare: string };

/** What every command hands back about the stream it wrote to. */
export type WriteResult = {
  readonly streamName: string;
  readonly streamRevision: string;
  /** Of the last event written, or of the stream's last event when the command was a repeat. */
  readonly position: CommitPositionResult;
  /** Zero when the command's effect already held (repeats are no-ops). */
  readonly eventsWritten: number;
};

export function writeResultOf(result: HandleResult<unknown>): WriteResult {
  // Every command on a stream without events either creates it or is refused, so a
  // successful one always leaves a revision and a position behind.
  if (result.nextExpectedRevision === 'no_stream' || result.position === null) {
    throw new Error(`${result.streamName} has no events after a successful command`);
  }
  return {
    streamName: result.streamName,
    streamRevision: result.nextExpectedRevision.toString(),
    position: { commit: result.position.commit.toString(), prepare: result.position.prepare.toString() },
    eventsWritten: result.events.length,
  };
}
