const UUID_PATTERN = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Parses a UUID's text form into its 16 bytes, or returns undefined. */
export function parseUuid(text: string): Buffer | undefined {
  const trimmed = text.startsWith('{') && text.endsWith('}') ? text.slice(1, -1) : text;
  if (!UUID_PATTERN.test(trimmed)) return undefined;
  return Buffer.from(trimmed.replace(/-/g, ''), 'hex');
}

export function uuidFromParts(mostSignificant: string, leastSignificant: string): Buffer {
  const bytes = Buffer.alloc(16);
  bytes.writeBigInt64BE(BigInt(mostSignificant), 0);
  bytes.writeBigInt64BE(BigInt(leastSignificant), 8);
  return bytes;
}

/** Lowercase, hyphenated: the form the server returns as UUID.string. */
export function formatUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
