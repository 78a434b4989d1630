import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Position } from '@revops/event-store';
import { ReadModels } from '../../common/read-side/read-models';
import type { Opportunity } from '../graphql/opportunity-read.types';
import { readOpportunities } from './opportunity-rows';

/**
 * Every read model an opportunity's nested fields load from. Waiting on all of them for the
 * caller's write keeps the account and the contacts as fresh as the deal.
 */
export const OPPORTUNITY_READ_MODELS = ['opportunities', 'accounts', 'contacts'] as const;

export class OpportunityQuery extends Query<Opportunity | null> {
  constructor(
    readonly opportunityId: string,
    readonly minPosition?: Position,
  ) {
    super();
  }
}

@QueryHandler(OpportunityQuery)
export class OpportunityQueryHandler implements IQueryHandler<OpportunityQuery, Opportunity | null> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ opportunityId, minPosition }: OpportunityQuery): Promise<Opportunity | null> {
    const view = await this.readModels.open(OPPORTUNITY_READ_MODELS, minPosition);
    const [opportunity] = await readOpportunities(view, 'opportunity_id', [opportunityId]);
    return opportunity ?? null;
  }
}
