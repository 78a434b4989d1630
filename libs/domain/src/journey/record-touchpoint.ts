import { defaultChannelRuleSet } from '../channel/default-channel-rules';
import type { ChannelRuleSet } from '../channel/channel-rules';
import { invalidField } from '../shared/domain-error';
import { anonymousIdForEmail, derivedTouchpointId } from '../shared/identity';
import { utcTimestamp } from '../shared/time';
import { normaliseUtm } from '../shared/utm';
import { oneOf, optionalEmailAddress, optionalId, optionalText, optionalWebUrl, sourceSystem, uuid } from '../shared/validation';
import { journeyStreamName, personKeyFor } from '../stream-names';
import type { RecordTouchpoint } from './commands';
import type { TouchpointRecorded } from './events';
import { touchpointDetails } from './touchpoint-details';
import { touchpointKinds } from './touchpoint-kinds';

export type RecordedTouchpoint = { streamName: string; event: TouchpointRecorded };

function touchpointIdOf(given: unknown, source: string, externalId: string | null): string {
  if (given !== undefined && given !== null && given !== '') {
    return uuid(given, 'touchpointId');
  }
  if (externalId === null) {
    throw invalidField('REQUIRED_FIELD_MISSING', 'externalId', 'is required without a touchpointId: the id is derived from source and externalId');
  }
  return derivedTouchpointId(source, externalId);
}

/**
 * Validates and normalises one touch, derives its channel, its id and the
 * journey stream it belongs to. Ingestion appends the event without loading
 * the stream: idempotency comes from the event id, not from state.
 *
 * A touch known only by email goes to the journey of the anonymous id derived
 * from that address (anonymousIdForEmail); capturing the lead links that id
 * to the contact, exactly like a cookie id.
 */
export function recordTouchpoint(command: RecordTouchpoint, rules: ChannelRuleSet = defaultChannelRuleSet): RecordedTouchpoint {
  const input = command.data;
  const source = sourceSystem(input.source, 'source');
  const externalId = optionalText(input.externalId, 'externalId', 256);
  const touchpointId = touchpointIdOf(input.touchpointId, source, externalId);
  const kind = oneOf(input.kind, touchpointKinds, 'kind');
  const contactId = optionalId(input.contactId, 'contactId');
  const anonymousId = optionalId(input.anonymousId, 'anonymousId');
  const email = optionalEmailAddress(input.email, 'email');
  const personKey = personKeyFor({ contactId, anonymousId: anonymousId ?? (email === null ? null : anonymousIdForEmail(email)) });
  const utm = normaliseUtm(input.utm);
  const referrer = optionalText(input.referrer, 'referrer', 2048);
  const landingPage = optionalWebUrl(input.landingPage, 'landingPage');

  const data = {
    touchpointId,
    personKey,
    kind,
    occurredAt: utcTimestamp(input.occurredAt, 'occurredAt'),
    source,
    externalId,
    contactId,
    anonymousId,
    email,
    accountId: optionalId(input.accountId, 'accountId'),
    utm,
    referrer,
    landingPage,
    campaignId: optionalId(input.campaignId, 'campaignId'),
    channel: rules.classify({ kind, utm, referrer, landingPage }),
    details: touchpointDetails(kind, input.details),
  } as TouchpointRecorded['data'];

  return { streamName: journeyStreamName(personKey), event: { type: 'TouchpointRecorded', data } };
}

