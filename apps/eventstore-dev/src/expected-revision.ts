export type ExpectedRevision =
  | { kind: 'any' }
  | { kind: 'no_stream' }
  | { kind: 'stream_exists' }
  | { kind: 'exact'; revision: number };

export const ANY: ExpectedRevision = { kind: 'any' };
export const NO_STREAM: ExpectedRevision = { kind: 'no_stream' };
export const STREAM_EXISTS: ExpectedRevision = { kind: 'stream_exists' };

export function exactly(revision: number): ExpectedRevision {
  return { kind: 'exact', revision };
}

/** The int64 sentinels the server uses in `expected-version` trailers. */
export function expectedVersionNumber(expected: ExpectedRevision): number {
  switch (expected.kind) {
    case 'any':
      return -2;
    case 'no_stream':
      return -1;
    case 'stream_exists':
      return -4;
    case 'exact':
      return expected.revision;
  }
}
