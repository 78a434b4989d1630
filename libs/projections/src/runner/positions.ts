import { comparePositions, type Position } from '@revops/event-store';

/** A position as projection_checkpoints stores it: two numeric(20,0) columns, read back as strings. */
export interface StoredPosition {
  commit_position: string | null;
  prepare_position: string | null;
}

/** The position in `<prefix>commit_position` and `<prefix>prepare_position` of a row, null when unset. */
export function fromStored(row: object, prefix = ''): Position | null {
  const record = row as Record<string, string | null | undefined>;
  const commit = record[`${prefix}commit_position`];
  const prepare = record[`${prefix}prepare_position`];
  return commit === null || prepare === null || commit === undefined || prepare === undefined
    ? null
    : { commit: BigInt(commit), prepare: BigInt(prepare) };
}

/** Query parameters for a position; null stays null so `IS NOT DISTINCT FROM` compares it. */
export function toParameters(position: Position | null): [string | null, string | null] {
  return position === null ? [null, null] : [position.commit.toString(), position.prepare.toString()];
}

/** True when `checkpoint` is at or past `position`: the event there has been applied. */
export function hasPassed(checkpoint: Position | null, position: Position): boolean {
  return checkpoint !== null && comparePositions(checkpoint, position) >= 0;
}

export function laterOf(a: Position | null, b: Position | null): Position | null {
  if (a === null) return b;
  if (b === null) return a;
  return comparePositions(a, b) >= 0 ? a : b;
}

export function formatPosition(position: Position | null): string {
  return position === null ? 'start' : `${position.commit}/${position.prepare}`;
}
