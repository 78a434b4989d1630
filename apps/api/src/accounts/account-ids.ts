import { v5 as uuidV5 } from 'uuid';
import { REVOPS_ID_NAMESPACE, registrableDomain, webDomain } from '@revops/domain';

/**
 * The id of the account for a company domain when the caller brings none: the same
 * registrable domain (acme.com for www.acme.com, eu.acme.com or jane@acme.com) always
 * gives the same id, so leads captured by email find the company's account without a
 * lookup, and two writers creating it at once meet in one stream instead of making two.
 * Part of stored history: the derivation must never change.
 */
export function accountIdForDomain(domain: string): string {
  const host = webDomain(domain, 'domain');
  return uuidV5(`account:${registrableDomain(host) ?? host}`, REVOPS_ID_NAMESPACE);
}
