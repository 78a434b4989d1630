export * from './shared';
export * from './stream-names';
export * from './event-catalog';
export * from './error-codes';
export * from './channel';

export * from './contact/events';
export * from './contact/commands';
export * from './contact/errors';
export * from './contact/lifecycle';
export type { ContactState, SalesVerdict } from './contact/state';
export { contactDecider, LEAD_SCORE_MAX } from './contact/decide';

export * from './account/events';
export * from './account/commands';
export * from './account/errors';
export { accountDomainForEmail, freeMailDomains, freeMailProviders, isFreeMailDomain, registrableDomain } from './account/email-domain';
export type { AccountState } from './account/state';
export { accountDecider } from './account/decide';

export * from './pipeline/events';
export * from './pipeline/commands';
export * from './pipeline/errors';
export { pipelineStagesOf, type PipelineStages, type PipelineState } from './pipeline/state';
export { pipelineDecider, MAX_STAGES } from './pipeline/decide';

export * from './opportunity/events';
export * from './opportunity/commands';
export * from './opportunity/errors';
export type { OpportunityState } from './opportunity/state';
export { opportunityDecider } from './opportunity/decide';

export * from './campaign/events';
export * from './campaign/commands';
export * from './campaign/errors';
export type { CampaignState } from './campaign/state';
export { campaignDecider } from './campaign/decide';

export * from './journey/events';
export * from './journey/commands';
export * from './journey/errors';
export * from './journey/touchpoint-kinds';
export { recordTouchpoint, type RecordedTouchpoint } from './journey/record-touchpoint';
export type { JourneyState } from './journey/state';
export { journeyDecider, journeyDeciderWith } from './journey/decide';
