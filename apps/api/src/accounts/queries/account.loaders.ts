import { Injectable } from '@nestjs/common';
import { loaderOfOne, perRequest } from '../../common/read-side/batch-loaders';
import { ReadModels } from '../../common/read-side/read-models';
import { readAccounts } from './account-rows';

/**
 * Accounts by id for nested fields, new for every request so nothing is cached across
 * callers. Each batch resolves the serving version once and reads every id in one statement.
 */
@Injectable()
export class AccountLoaders {
  constructor(private readonly readModels: ReadModels) {}

  /** The loaders of the request whose GraphQL context this is. */
  readonly of = perRequest(() => ({
    byId: loaderOfOne(async (ids) => readAccounts(await this.readModels.open(['accounts']), ids), (account) => account.id),
  }));
}
