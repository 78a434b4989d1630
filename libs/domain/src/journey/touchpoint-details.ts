import { invalidField } from '../shared/domain-error';
import { money } from '../shared/money';
import {
  integerInRange,
  oneOf,
  optionalEmailAddress,
  optionalOneOf,
  optionalId,
  optionalText,
  optionalWebUrl,
  requiredId,
  requiredText,
  webUrl,
} from '../shared/validation';
import {
  adPlatforms,
  callDirections,
  callOutcomes,
  chatHandlers,
  contentAssetTypes,
  eventFormats,
  meetingTypes,
  socialActions,
  socialNetworks,
  webinarParticipations,
  type DemoAttendee,
  type TouchpointDetailsByKind,
  type TouchpointKind,
} from './touchpoint-kinds';

type Fields = Record<string, unknown>;

const MAX_DEMO_ATTENDEES = 100;

/** Unknown optional facts are left out of the event rather than stored as null. */
function known<T extends Fields>(fields: T): { [K in keyof T]?: NonNullable<T[K]> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null && value !== undefined)) as {
    [K in keyof T]?: NonNullable<T[K]>;
  };
}

function optionalInteger(value: unknown, field: string, max: number): number | null {
  return value === undefined || value === null ? null : integerInRange(value, field, 0, max);
}

function adPlacement(d: Fields, at: string) {
  return {
    adPlatform: oneOf(d.adPlatform, adPlatforms, `${at}.adPlatform`),
    ...known({
      platformCampaignId: optionalId(d.platformCampaignId, `${at}.platformCampaignId`),
      adGroupId: optionalId(d.adGroupId, `${at}.adGroupId`),
      adId: optionalId(d.adId, `${at}.adId`),
    }),
  };
}

function demoAttendee(value: unknown, at: string): DemoAttendee {
  const attendee = (value ?? {}) as Fields;
  const identified = known({
    contactId: optionalId(attendee.contactId, `${at}.contactId`),
    email: optionalEmailAddress(attendee.email, `${at}.email`),
    name: optionalText(attendee.name, `${at}.name`, 200),
  });
  if (identified.contactId === undefined && identified.email === undefined) {
    throw invalidField('REQUIRED_FIELD_MISSING', `${at}.contactId`, 'or email is required for each attendee');
  }
  return identified;
}

const SIX_HOURS_IN_SECONDS = 6 * 60 * 60;
const ONE_DAY_IN_MINUTES = 24 * 60;

// One entry per kind: a kind added to touchpointKinds without its details
// rule here fails to compile.
const detailRules: { [Kind in TouchpointKind]: (details: Fields, at: string) => TouchpointDetailsByKind[Kind] } = {
  AD_IMPRESSION: (d, at) => ({ ...adPlacement(d, at), ...known({ placement: optionalText(d.placement, `${at}.placement`, 200) }) }),
  AD_CLICK: (d, at) => ({
    ...adPlacement(d, at),
    ...known({ clickId: optionalId(d.clickId, `${at}.clickId`), keyword: optionalText(d.keyword, `${at}.keyword`, 200) }),
  }),
  EMAIL_SENT: (d, at) => ({
    messageId: requiredText(d.messageId, `${at}.messageId`, 500),
    ...known({ emailName: optionalText(d.emailName, `${at}.emailName`, 200) }),
  }),
  EMAIL_OPEN: (d, at) => ({ messageId: requiredText(d.messageId, `${at}.messageId`, 500) }),
  EMAIL_CLICK: (d, at) => ({ messageId: requiredText(d.messageId, `${at}.messageId`, 500), url: webUrl(d.url, `${at}.url`) }),
  WEB_VISIT: (d, at) => ({
    pageUrl: webUrl(d.pageUrl, `${at}.pageUrl`),
    ...known({ pageTitle: optionalText(d.pageTitle, `${at}.pageTitle`, 300), sessionId: optionalId(d.sessionId, `${at}.sessionId`) }),
  }),
  FORM_SUBMISSION: (d, at) => ({
    formId: requiredId(d.formId, `${at}.formId`),
    ...known({ formName: optionalText(d.formName, `${at}.formName`, 200), pageUrl: optionalWebUrl(d.pageUrl, `${at}.pageUrl`) }),
  }),
  CONTENT_DOWNLOAD: (d, at) => ({
    assetId: requiredId(d.assetId, `${at}.assetId`),
    ...known({
      assetTitle: optionalText(d.assetTitle, `${at}.assetTitle`, 300),
      assetType: optionalOneOf(d.assetType, contentAssetTypes, `${at}.assetType`),
    }),
  }),
  WEBINAR: (d, at) => ({
    webinarId: requiredId(d.webinarId, `${at}.webinarId`),
    participation: oneOf(d.participation, webinarParticipations, `${at}.participation`),
    ...known({ minutesAttended: optionalInteger(d.minutesAttended, `${at}.minutesAttended`, ONE_DAY_IN_MINUTES) }),
  }),
  EVENT_ATTENDED: (d, at) => ({
    eventId: requiredId(d.eventId, `${at}.eventId`),
    ...known({
      eventName: optionalText(d.eventName, `${at}.eventName`, 200),
      format: optionalOneOf(d.format, eventFormats, `${at}.format`),
    }),
  }),
  SOCIAL_ENGAGEMENT: (d, at) => ({
    network: oneOf(d.network, socialNetworks, `${at}.network`),
    action: oneOf(d.action, socialActions, `${at}.action`),
    ...known({ postId: optionalId(d.postId, `${at}.postId`) }),
  }),
  CHAT: (d, at) => ({
    conversationId: requiredId(d.conversationId, `${at}.conversationId`),
    handledBy: oneOf(d.handledBy, chatHandlers, `${at}.handledBy`),
  }),
  CALL: (d, at) => ({
    durationSeconds: integerInRange(d.durationSeconds, `${at}.durationSeconds`, 0, SIX_HOURS_IN_SECONDS),
    outcome: oneOf(d.outcome, callOutcomes, `${at}.outcome`),
    direction: oneOf(d.direction, callDirections, `${at}.direction`),
    ...known({ repId: optionalId(d.repId, `${at}.repId`) }),
  }),
  MEETING: (d, at) => ({
    meetingType: oneOf(d.meetingType, meetingTypes, `${at}.meetingType`),
    ...known({
      durationMinutes: optionalInteger(d.durationMinutes, `${at}.durationMinutes`, ONE_DAY_IN_MINUTES),
      hostId: optionalId(d.hostId, `${at}.hostId`),
    }),
  }),
  DEMO: (d, at) => {
    if (!Array.isArray(d.attendees) || d.attendees.length === 0) {
      throw invalidField('REQUIRED_FIELD_MISSING', `${at}.attendees`, 'must name at least one attendee');
    }
    if (d.attendees.length > MAX_DEMO_ATTENDEES) {
      throw invalidField('VALUE_OUT_OF_RANGE', `${at}.attendees`, `must name at most ${MAX_DEMO_ATTENDEES} attendees`);
    }
    return {
      attendees: d.attendees.map((attendee: unknown, index: number) => demoAttendee(attendee, `${at}.attendees[${index}]`)),
      ...known({ presenterId: optionalId(d.presenterId, `${at}.presenterId`) }),
    };
  },
  PROPOSAL: (d, at) => ({
    proposalId: requiredId(d.proposalId, `${at}.proposalId`),
    amount: money(d.amount, `${at}.amount`),
    ...known({ opportunityId: optionalId(d.opportunityId, `${at}.opportunityId`) }),
  }),
};

export function touchpointDetails<Kind extends TouchpointKind>(kind: Kind, details: unknown): TouchpointDetailsByKind[Kind] {
  if (typeof details !== 'object' || details === null || Array.isArray(details)) {
    throw invalidField('REQUIRED_FIELD_MISSING', 'details', `is required for a ${kind} touchpoint`);
  }
  return detailRules[kind](details as Fields, 'details');
}

