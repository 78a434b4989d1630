import { v5 as uuidV5 } from 'uuid';

// Fixed for the life of the project: every id derived from it is part of
// stored history. Changing it would make re-sent touchpoints look new.
export const REVOPS_ID_NAMESPACE = '2ea7106e-909a-4547-a6ad-8959aa612484';

/**
 * The idempotency key of a fact that arrives without a UUID of its own:
 * the same (source, external id) always yields the same id, so a re-sent
 * touchpoint is stored once. `source` is a slug without ':' (see
 * sourceSystem), which keeps the name unambiguous.
 */
export function derivedTouchpointId(source: string, externalId: string): string {
  return uuidV5(`touchpoint:${source}:${externalId}`, REVOPS_ID_NAMESPACE);
}

/**
 * The anonymous id standing for an email address when a touch names the
 * person only by email (an email platform's sends and opens). It keeps the
 * address out of stream names and is linked to the contact with that email
 * like any cookie id.
 */
export function anonymousIdForEmail(normalisedEmail: string): string {
  return uuidV5(`email:${normalisedEmail}`, REVOPS_ID_NAMESPACE);
}
