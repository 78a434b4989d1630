import type { Channel } from '../channel/channel';
import type { UtcTimestamp } from '../shared/time';
import type { Utm } from '../shared/utm';
import type { TouchpointDetailsByKind, TouchpointKind } from './touchpoint-kinds';

type RecordedTouch<Kind extends TouchpointKind> = {
  /** Idempotency key and the event's id in the store. */
  touchpointId: string;
  /** The journey the touch belongs to: a contact id, or `anon-…` before identification. */
  personKey: string;
  kind: Kind;
  /** Business time: when the person acted, not when we heard of it. */
  occurredAt: UtcTimestamp;
  /** The system that observed the touch (`segment`, `hubspot`, `linkedin_ads`…). */
  source: string;
  externalId: string | null;
  contactId: string | null;
  anonymousId: string | null;
  email: string | null;
  accountId: string | null;
  utm: Utm;
  referrer: string | null;
  landingPage: string | null;
  campaignId: string | null;
  /** Derived by the channel rules at recording time, so reports never reclassify history silently. */
  channel: Channel;
  details: TouchpointDetailsByKind[Kind];
};

export type TouchpointRecorded = {
  type: 'TouchpointRecorded';
  data: { [Kind in TouchpointKind]: RecordedTouch<Kind> }[TouchpointKind];
};

export type JourneyEvent = TouchpointRecorded;

export const journeyEventSchemaVersions = {
  TouchpointRecorded: 1,
} as const satisfies Record<JourneyEvent['type'], number>;
