import { Injectable } from '@nestjs/common';
import { loaderOfMany, perRequest } from '../../common/read-side/batch-loaders';
import { ReadModels } from '../../common/read-side/read-models';
import { readOpportunities, readStageHistory } from './opportunity-rows';

/**
 * What hangs off deals, and the deals of accounts, for nested fields: new for every request,
 * one statement per batch, the serving version resolved once per batch.
 */
@Injectable()
export class OpportunityLoaders {
  constructor(private readonly readModels: ReadModels) {}

  private readonly view = () => this.readModels.open(['opportunities']);

  /** The loaders of the request whose GraphQL context this is. */
  readonly of = perRequest(() => ({
    stageHistory: loaderOfMany(async (ids) => readStageHistory(await this.view(), ids), (stay) => stay.opportunityId),
    byAccountId: loaderOfMany(async (ids) => readOpportunities(await this.view(), 'account_id', ids), (deal) => deal.accountId),
  }));
}
