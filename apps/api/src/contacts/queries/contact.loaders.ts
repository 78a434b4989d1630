import { Injectable, Scope } from '@nestjs/common';
import { loaderOfMany, loaderOfOne } from '../../common/read-side/batch-loaders';
import { ReadModels } from '../../common/read-side/read-models';
import { readContacts, readIdentityLinks, readLeadDecisions, readLifecycleStages } from './contact-rows';

/**
 * Contacts and what hangs off them, for nested fields: new for every request, one statement
 * per batch, the serving version resolved once per batch.
 */
@Injectable({ scope: Scope.REQUEST })
export class ContactLoaders {
  constructor(private readonly readModels: ReadModels) {}

  private readonly view = () => this.readModels.open(['contacts']);

  readonly byId = loaderOfOne(async (ids) => readContacts(await this.view(), 'contact_id', ids), (contact) => contact.id);
  readonly byAccountId = loaderOfMany(async (ids) => readContacts(await this.view(), 'account_id', ids), (contact) => contact.accountId ?? '');
  readonly lifecycleStages = loaderOfMany(async (ids) => readLifecycleStages(await this.view(), ids), (row) => row.contactId);
  readonly leadDecisions = loaderOfMany(async (ids) => readLeadDecisions(await this.view(), ids), (row) => row.contactId);
  readonly identityLinks = loaderOfMany(async (ids) => readIdentityLinks(await this.view(), ids), (row) => row.contactId);
}
