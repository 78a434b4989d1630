import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** The parts of an event the chain covers. Data must be the *stored* form, not an upcast one. */
export interface HashableEvent {
  streamName: string;
  type: string;
  data: unknown;
  metadata: object & { prevHash?: string | null; hash?: string };
}

export interface ChainedEvent extends HashableEvent {
  eventId?: string;
  revision?: bigint;
}

export type ChainBreak = 'missing_hash' | 'hash_mismatch' | 'prev_hash_mismatch';

export type ChainVerification =
  | { valid: true; checked: number; lastHash: string | null }
  | {
      valid: false;
      /** Events verified before the break. */
      checked: number;
      brokenAt: {
        index: number;
        eventId?: string;
        revision?: bigint;
        reason: ChainBreak;
        expected: string | null;
        actual: string | null;
      };
    };

/**
 * sha256 (hex) over the RFC 8785 canonical JSON of stream name, type, data and metadata
 * without `hash`. Canonical JSON makes the hash independent of key order and number
 * formatting, so it can be recomputed from what the store hands back.
 */
export function computeEventHash(event: HashableEvent): string {
  const { hash: _omitted, ...metadata } = event.metadata;
  const canonical = canonicalize({ streamName: event.streamName, type: event.type, data: event.data, metadata });
  if (canonical === undefined) throw new TypeError(`Event ${event.type} cannot be represented as JSON`);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** An event with its chain links set. */
export type Chained<E extends { metadata: object }> = Omit<E, 'metadata'> & {
  metadata: E['metadata'] & { prevHash: string | null; hash: string };
};

/**
 * Links new events onto stream `streamName`, whose last event has hash `previousHash`
 * (null for a new stream): each gets `prevHash` and then its own `hash`. Returns copies.
 */
export function chainEvents<E extends Omit<HashableEvent, 'streamName'>>(
  streamName: string,
  events: readonly E[],
  previousHash: string | null,
): Chained<E>[] {
  let prevHash = previousHash;
  return events.map((event) => {
    const { hash: _stale, ...metadata } = event.metadata;
    const linked = { ...event, metadata: { ...metadata, prevHash } };
    const hash = computeEventHash({ ...linked, streamName });
    prevHash = hash;
    return { ...linked, metadata: { ...linked.metadata, hash } } as Chained<E>;
  });
}

/**
 * Walks a stream's events in order and reports the first broken link: an event without
 * a hash, one whose content no longer matches its hash (altered), or one whose `prevHash`
 * is not its predecessor's hash (removed, inserted or reordered events).
 *
 * Pass the events as stored (read with `upcast: false`): the hash covers the stored data.
 * To verify a slice that does not start at revision 0, pass the hash preceding it.
 */
export function verifyChain(
  events: Iterable<ChainedEvent>,
  options: { previousHash?: string | null } = {},
): ChainVerification {
  let expectedPrev = options.previousHash ?? null;
  let index = 0;
  for (const event of events) {
    const actualHash = event.metadata.hash ?? null;
    const broken = (reason: ChainBreak, expected: string | null, actual: string | null): ChainVerification => ({
      valid: false,
      checked: index,
      brokenAt: { index, eventId: event.eventId, revision: event.revision, reason, expected, actual },
    });
    if (actualHash === null) return broken('missing_hash', computeEventHash(event), null);
    const recomputed = computeEventHash(event);
    if (recomputed !== actualHash) return broken('hash_mismatch', recomputed, actualHash);
    const actualPrev = event.metadata.prevHash ?? null;
    if (actualPrev !== expectedPrev || event.metadata.prevHash === undefined) {
      return broken('prev_hash_mismatch', expectedPrev, actualPrev);
    }
    expectedPrev = actualHash;
    index++;
  }
  return { valid: true, checked: index, lastHash: expectedPrev };
}
