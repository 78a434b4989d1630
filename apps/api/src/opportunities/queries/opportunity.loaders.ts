import { Injectable, Scope } from '@nestjs/common';
import { loaderOfMany } from '../../common/read-side/batch-loaders';
import { ReadModels } from '../../common/read-side/read-models';
import { readOpportunities, readStageHistory } from './opportunity-rows';

/**
 * What hangs off deals, and the deals of accounts, for nested fields: new for every request,
 * one statement per batch, the serving version resolved once per batch.
 */
@Injectable({ scope: Scope.REQUEST })
export class OpportunityLoaders {
  constructor(private readonly readModels: ReadModels) {}

  private readonly view = () => this.readModels.open(['opportunities']);

  readonly stageHistory = loaderOfMany(async (ids) => readStageHistory(await this.view(), ids), (stay) => stay.opportunityId);
  readonly byAccountId = loaderOfMany(async (ids) => readOpportunities(await this.view(), 'account_id', ids), (deal) => deal.accountId);
}
