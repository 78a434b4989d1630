import { Injectable } from '@nestjs/common';
import { loaderOfMany, loaderOfOne, perRequest } from '../../common/read-side/batch-loaders';
import { ReadModels } from '../../common/read-side/read-models';
import { readContacts, readIdentityLinks, readLeadDecisions, readLifecycleStages } from './contact-rows';

/**
 * Contacts and what hangs off them, for nested fields: new for every request, one statement
 * per batch, the serving version resolved once per batch.
 */
@Injectable()
export class ContactLoaders {
  constructor(private readonly readModels: ReadModels) {}

  private readonly view = () => this.readModels.open(['contacts']);

  /** The loaders of the request whose GraphQL context this is. */
  readonly of = perRequest(() => ({
    byId: loaderOfOne(async (ids) => readContacts(await this.view(), 'contact_id', ids), (contact) => contact.id),
    byAccountId: loaderOfMany(async (ids) => readContacts(await this.view(), 'account_id', ids), (contact) => contact.accountId ?? ''),
    lifecycleStages: loaderOfMany(async (ids) => readLifecycleStages(await this.view(), ids), (row) => row.contactId),
    leadDecisions: loaderOfMany(async (ids) => readLeadDecisions(await this.view(), ids), (row) => row.contactId),
    identityLinks: loaderOfMany(async (ids) => readIdentityLinks(await this.view(), ids), (row) => row.contactId),
  }));
}
