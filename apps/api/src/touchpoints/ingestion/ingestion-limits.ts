/**
 * What one ingestion request may carry. Segment's figures (32 KB per event, about 500 KB
 * per batch) are what tracker SDKs are built around, so a client tuned for Segment fits.
 */
export const ingestionLimits = {
  /** Touchpoints in one request, JSON array or NDJSON. */
  maxItems: 1_000,
  /** The request body after any Content-Encoding is undone. */
  maxBodyBytes: 512 * 1024,
  /** One touchpoint, measured as compact JSON in UTF-8. */
  maxItemBytes: 32 * 1024,
  /** Journey streams of one request appended at once. */
  appendConcurrency: 32,
} as const;

/** 524288 → "512 KiB", for error messages that name the limit. */
export function describeBytes(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}
