import type { Money } from '../shared/money';

export const touchpointKinds = [
  'AD_IMPRESSION',
  'AD_CLICK',
  'EMAIL_SENT',
  'EMAIL_OPEN',
  'EMAIL_CLICK',
  'WEB_VISIT',
  'FORM_SUBMISSION',
  'CONTENT_DOWNLOAD',
  'WEBINAR',
  'EVENT_ATTENDED',
  'SOCIAL_ENGAGEMENT',
  'CHAT',
  'CALL',
  'MEETING',
  'DEMO',
  'PROPOSAL',
] as const;

export type TouchpointKind = (typeof touchpointKinds)[number];

// Something done *to* the person, not *by* them: a send or an impression
// shows no intent, so attribution never credits it.
const passiveKinds: readonly TouchpointKind[] = ['EMAIL_SENT', 'AD_IMPRESSION'];

/** The kinds attribution may credit: the person did something. */
export const interactionKinds: readonly TouchpointKind[] = touchpointKinds.filter((kind) => !passiveKinds.includes(kind));

export function isInteraction(kind: TouchpointKind): boolean {
  return !passiveKinds.includes(kind);
}

export const adPlatforms = [
  'google_ads',
  'microsoft_ads',
  'linkedin_ads',
  'meta_ads',
  'x_ads',
  'reddit_ads',
  'tiktok_ads',
  'programmatic',
  'other',
] as const;
export const contentAssetTypes = ['whitepaper', 'ebook', 'case_study', 'report', 'guide', 'template', 'video', 'other'] as const;
export const webinarParticipations = ['registered', 'attended', 'watched_on_demand'] as const;
export const eventFormats = ['in_person', 'virtual', 'hybrid'] as const;
export const socialNetworks = ['linkedin', 'x', 'facebook', 'instagram', 'youtube', 'reddit', 'tiktok', 'other'] as const;
export const socialActions = ['like', 'comment', 'share', 'follow', 'mention', 'message', 'click'] as const;
export const chatHandlers = ['bot', 'human'] as const;
export const callOutcomes = ['connected', 'voicemail', 'no_answer', 'busy', 'wrong_number'] as const;
export const callDirections = ['inbound', 'outbound'] as const;
export const meetingTypes = ['discovery', 'qualification', 'follow_up', 'negotiation', 'executive', 'onboarding', 'other'] as const;

/** Ids as the ad platform knows them, so spend and clicks can be joined later. */
type AdPlacement = {
  adPlatform: (typeof adPlatforms)[number];
  platformCampaignId?: string;
  adGroupId?: string;
  adId?: string;
};

export type DemoAttendee = { contactId?: string; email?: string; name?: string };

/** The facts each kind of touch carries; optional fields are left out when unknown. */
export type TouchpointDetailsByKind = {
  AD_IMPRESSION: AdPlacement & { placement?: string };
  AD_CLICK: AdPlacement & { clickId?: string; keyword?: string };
  EMAIL_SENT: { messageId: string; emailName?: string };
  EMAIL_OPEN: { messageId: string };
  EMAIL_CLICK: { messageId: string; url: string };
  WEB_VISIT: { pageUrl: string; pageTitle?: string; sessionId?: string };
  FORM_SUBMISSION: { formId: string; formName?: string; pageUrl?: string };
  CONTENT_DOWNLOAD: { assetId: string; assetTitle?: string; assetType?: (typeof contentAssetTypes)[number] };
  WEBINAR: { webinarId: string; participation: (typeof webinarParticipations)[number]; minutesAttended?: number };
  EVENT_ATTENDED: { eventId: string; eventName?: string; format?: (typeof eventFormats)[number] };
  SOCIAL_ENGAGEMENT: { network: (typeof socialNetworks)[number]; action: (typeof socialActions)[number]; postId?: string };
  CHAT: { conversationId: string; handledBy: (typeof chatHandlers)[number] };
  CALL: {
    durationSeconds: number;
    outcome: (typeof callOutcomes)[number];
    direction: (typeof callDirections)[number];
    repId?: string;
  };
  MEETING: { meetingType: (typeof meetingTypes)[number]; durationMinutes?: number; hostId?: string };
  DEMO: { attendees: DemoAttendee[]; presenterId?: string };
  PROPOSAL: { proposalId: string; amount: Money; opportunityId?: string };
};

export type TouchpointDetails = TouchpointDetailsByKind[TouchpointKind];
