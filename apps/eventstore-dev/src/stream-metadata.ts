/** The parts of `$metadata` that change what a stream read returns. */
export interface StreamMetadata {
  maxCount?: number;
  maxAgeSeconds?: number;
  truncateBefore?: number;
  /** The JSON object as written, for rewriting `$tb` on soft undelete. */
  raw: Record<string, unknown>;
}

/** `$tb` of a soft-deleted stream: long.MaxValue, which JSON.parse rounds. */
export const SOFT_DELETE_METADATA = '{"$tb":9223372036854775807}';
const SOFT_DELETED_THRESHOLD = 2 ** 62;

/** Metastreams keep only their latest event visible. */
export const METASTREAM_MAX_COUNT = 1;

export function isMetastream(streamName: string): boolean {
  return streamName.startsWith('$$');
}

export function metastreamOf(streamName: string): string {
  return `$$${streamName}`;
}

export function parseStreamMetadata(data: Buffer): StreamMetadata {
  let raw: unknown;
  try {
    raw = JSON.parse(data.toString('utf8'));
  } catch {
    return { raw: {} };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { raw: {} };
  const fields = raw as Record<string, unknown>;
  return {
    maxCount: positiveInteger(fields.$maxCount),
    maxAgeSeconds: positiveInteger(fields.$maxAge),
    truncateBefore: positiveInteger(fields.$tb, 0),
    raw: fields,
  };
}

export function isSoftDeleted(metadata: StreamMetadata | undefined): boolean {
  return (metadata?.truncateBefore ?? 0) >= SOFT_DELETED_THRESHOLD;
}

/** The metadata written when a soft-deleted stream is appended to again. */
export function undeleteMetadata(metadata: StreamMetadata, firstRevision: number): Buffer {
  return Buffer.from(JSON.stringify({ ...metadata.raw, $tb: firstRevision }), 'utf8');
}

function positiveInteger(value: unknown, minimum = 1): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= minimum ? Math.floor(value) : undefined;
}
