import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Account } from '../accounts/graphql/account-read.types';
import { Opportunity } from './graphql/opportunity-read.types';
import { OpportunityLoaders } from './queries/opportunity.loaders';

@Resolver(() => Account)
export class AccountOpportunitiesResolver {
  constructor(private readonly opportunityLoaders: OpportunityLoaders) {}

  @ResolveField(() => [Opportunity], { description: "The company's deals, newest first" })
  opportunities(@Parent() account: Account, @Context() request: object): Promise<Opportunity[]> {
    return this.opportunityLoaders.of(request).byAccountId.load(account.id);
  }
}
