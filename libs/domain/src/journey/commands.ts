import type { UtcTimestamp } from '../shared/time';
import type { UtmInput } from '../shared/utm';
import type { TouchpointDetailsByKind, TouchpointKind } from './touchpoint-kinds';

type TouchInput<Kind extends TouchpointKind> = {
  /** A UUID the caller already has; otherwise one is derived from source + externalId. */
  touchpointId?: string | null;
  source: string;
  externalId?: string | null;
  kind: Kind;
  occurredAt: UtcTimestamp;
  /** At least one of contactId, anonymousId and email names the person. */
  contactId?: string | null;
  anonymousId?: string | null;
  email?: string | null;
  accountId?: string | null;
  utm?: UtmInput | null;
  referrer?: string | null;
  landingPage?: string | null;
  campaignId?: string | null;
  details: TouchpointDetailsByKind[Kind];
};

export type TouchpointInput = { [Kind in TouchpointKind]: TouchInput<Kind> }[TouchpointKind];

export type RecordTouchpoint = {
  type: 'RecordTouchpoint';
  data: TouchpointInput;
};

export type JourneyCommand = RecordTouchpoint;
