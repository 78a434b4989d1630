import { DomainError } from './shared/domain-error';
import { requiredId } from './shared/validation';

// EventStoreDB's `category-id` convention: the category is everything before
// the first dash, so ids may contain dashes but the categories must not.
export const streamCategories = ['contact', 'journey', 'account', 'opportunity', 'campaign', 'pipeline'] as const;
export type StreamCategory = (typeof streamCategories)[number];

const ANONYMOUS_PREFIX = 'anon-';

export function isAnonymousPersonKey(key: string): boolean {
  return key.startsWith(ANONYMOUS_PREFIX);
}

export const contactStreamName = (contactId: string): string => `contact-${requiredId(contactId, 'contactId')}`;
export const accountStreamName = (accountId: string): string => `account-${requiredId(accountId, 'accountId')}`;
export const opportunityStreamName = (opportunityId: string): string => `opportunity-${requiredId(opportunityId, 'opportunityId')}`;
export const campaignStreamName = (campaignId: string): string => `campaign-${requiredId(campaignId, 'campaignId')}`;
export const pipelineStreamName = (pipelineId: string): string => `pipeline-${requiredId(pipelineId, 'pipelineId')}`;
export const journeyStreamName = (personKey: string): string => `journey-${requiredId(personKey, 'personKey')}`;

/**
 * Whose journey a touch belongs to: the contact once known, otherwise
 * `anon-{anonymousId}` until an IdentityLinked stitches the two together.
 */
export function personKeyFor(person: { contactId?: string | null; anonymousId?: string | null }): string {
  if (person.contactId) {
    const contactId = requiredId(person.contactId, 'contactId');
    // An id shaped like an anonymous key would merge a contact's journey with a stranger's.
    if (isAnonymousPersonKey(contactId)) {
      throw new DomainError('INVALID_ID', `contactId must not start with "${ANONYMOUS_PREFIX}"`, 'contactId');
    }
    return contactId;
  }
  if (person.anonymousId) {
    return `${ANONYMOUS_PREFIX}${requiredId(person.anonymousId, 'anonymousId')}`;
  }
  throw new DomainError('PERSON_IDENTIFIER_MISSING', 'one of contactId, anonymousId or email is required', 'contactId');
}

export function streamCategoryOf(streamName: string): StreamCategory | null {
  const category = streamName.slice(0, streamName.indexOf('-'));
  return (streamCategories as readonly string[]).includes(category) ? (category as StreamCategory) : null;
}
