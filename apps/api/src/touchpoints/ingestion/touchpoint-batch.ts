import { ingestionLimits } from './ingestion-limits';

/** Why one touchpoint was refused. `field` is null when the refusal concerns the whole item. */
export interface TouchpointFieldError {
  field: string | null;
  code: string;
  message: string;
}

export interface RejectedTouchpoint {
  /** Position in the batch: the array index, or the NDJSON line number − 1. */
  index: number;
  errors: TouchpointFieldError[];
}

export interface TouchpointBatchResult {
  /** Ids of the touchpoints stored (or stored before), in batch order, each once. */
  accepted: string[];
  /** Ordered by index. */
  rejected: RejectedTouchpoint[];
  /**
   * The highest log position among the accepted touchpoints (decimal strings, as 64-bit
   * positions do not fit JSON numbers), to wait on read models with; null when none.
   */
  position: { commit: string; prepare: string } | null;
}

/** One position of a batch: a value still to be validated, or one refused while parsing. */
export type BatchEntry = { index: number; touchpoint: unknown } | { index: number; errors: TouchpointFieldError[] };

export type BatchFormat = 'json' | 'ndjson';

export type InvalidBatchCode = 'EMPTY_BODY' | 'MALFORMED_JSON' | 'NOT_A_BATCH' | 'TOO_MANY_ITEMS';

/** The body is not a batch at all: nothing in it is looked at, nothing is stored. */
export class InvalidBatchError extends Error {
  override readonly name = 'InvalidBatchError';

  constructor(
    readonly code: InvalidBatchCode,
    message: string,
    readonly limit?: number,
  ) {
    super(message);
  }
}

const NDJSON_TYPES = new Set(['application/x-ndjson', 'application/ndjson', 'application/jsonl']);

/** The batch format a Content-Type names, or null for one this endpoint does not read. */
export function batchFormatOf(contentType: string | undefined): BatchFormat | null {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType === 'application/json') return 'json';
  return NDJSON_TYPES.has(mediaType) ? 'ndjson' : null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Splits a request body into batch entries. Only what makes the body unreadable as a
 * batch throws; a bad NDJSON line refuses that line alone, because the lines around it
 * are independent touchpoints that trackers will not send again.
 */
export function parseTouchpointBatch(body: Uint8Array | undefined, format: BatchFormat): BatchEntry[] {
  if (body === undefined || body.length === 0) {
    throw new InvalidBatchError('EMPTY_BODY', 'The request body is empty: send a JSON array of touchpoints, or NDJSON');
  }
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new InvalidBatchError('MALFORMED_JSON', 'The request body is not valid UTF-8');
  }
  return format === 'json' ? jsonArrayEntries(text) : ndjsonEntries(text);
}

function jsonArrayEntries(text: string): BatchEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidBatchError('MALFORMED_JSON', `The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) {
    throw new InvalidBatchError(
      'NOT_A_BATCH',
      'The request body must be a JSON array of touchpoints (or NDJSON, one touchpoint per line, with Content-Type: application/x-ndjson)',
    );
  }
  if (parsed.length > ingestionLimits.maxItems) throw tooManyItems();
  return parsed.map((touchpoint: unknown, index) => ({ index, touchpoint }));
}

function ndjsonEntries(text: string): BatchEntry[] {
  const lines = text.split('\n');
  const entries: BatchEntry[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index].trim();
    // Blank lines (the final newline, spacing between records) carry nothing; indexes
    // stay line-based all the same, so a client finds a refused line by its number.
    if (line === '') continue;
    if (entries.length === ingestionLimits.maxItems) throw tooManyItems();
    try {
      entries.push({ index, touchpoint: JSON.parse(line) as unknown });
    } catch (error) {
      entries.push({
        index,
        errors: [{ field: null, code: 'MALFORMED_JSON', message: `Line ${index + 1} is not valid JSON: ${(error as Error).message}` }],
      });
    }
  }
  return entries;
}

function tooManyItems(): InvalidBatchError {
  return new InvalidBatchError(
    'TOO_MANY_ITEMS',
    `A batch holds at most ${ingestionLimits.maxItems} touchpoints; split larger ones into several requests`,
    ingestionLimits.maxItems,
  );
}
