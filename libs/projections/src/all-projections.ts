import { accountsProjection } from './accounts/accounts.writer';
import { attributionProjection } from './attribution/attribution.writer';
import { campaignsProjection } from './campaigns/campaigns.writer';
import { contactsProjection } from './contacts/contacts.writer';
import { touchpointsProjection } from './touchpoints/touchpoints.writer';
import { opportunitiesProjection } from './opportunities/opportunities.writer';
import { pipelinesProjection } from './pipelines/pipelines.writer';
import type { Projection } from './runner/projection';

/**
 * Every read model, at the version this release serves. The projector and the api in
 * embedded mode both run this list, so a read model is registered once, here.
 */
export const allProjections: readonly Projection[] = [
  pipelinesProjection,
  opportunitiesProjection,
  contactsProjection,
  touchpointsProjection,
  campaignsProjection,
  accountsProjection,
  attributionProjection,
];
