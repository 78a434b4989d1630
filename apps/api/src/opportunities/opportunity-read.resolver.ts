import { Args, Context, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { QueryBus } from '@nestjs/cqrs';
import { Account } from '../accounts/graphql/account-read.types';
import { AccountLoaders } from '../accounts/queries/account.loaders';
import { PositionInput, positionOf } from '../common/read-side/position.input';
import { ContactLoaders } from '../contacts/queries/contact.loaders';
import {
  Opportunity,
  OpportunitiesArgs,
  OpportunityConnection,
  OpportunityContact,
  StageStay,
} from './graphql/opportunity-read.types';
import { OpportunitiesQuery } from './queries/opportunities.query';
import { OpportunityQuery } from './queries/opportunity.query';
import { OpportunityLoaders } from './queries/opportunity.loaders';

@Resolver(() => Opportunity)
export class OpportunityReadResolver {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly opportunityLoaders: OpportunityLoaders,
    private readonly accountLoaders: AccountLoaders,
    private readonly contactLoaders: ContactLoaders,
  ) {}

  @Query(() => Opportunity, { nullable: true, description: 'A deal with its account, people and stage history; null when unknown' })
  opportunity(
    @Args('id', { type: () => ID }) id: string,
    @Args('minPosition', { type: () => PositionInput, nullable: true }) minPosition?: PositionInput | null,
  ): Promise<Opportunity | null> {
    return this.queryBus.execute(new OpportunityQuery(id, positionOf(minPosition)));
  }

  @Query(() => OpportunityConnection, { description: 'Deals, filtered and ordered, a page at a time (keyset pagination)' })
  opportunities(@Args() { filter, first, after, orderBy, minPosition }: OpportunitiesArgs): Promise<OpportunityConnection> {
    return this.queryBus.execute(
      new OpportunitiesQuery(filter ?? {}, { field: orderBy.field, direction: orderBy.direction }, first, after ?? null, positionOf(minPosition)),
    );
  }

  @ResolveField(() => Account, { nullable: true, description: 'Null when the account is not in the read model (yet)' })
  account(@Parent() opportunity: Opportunity, @Context() request: object): Promise<Account | null> {
    return this.accountLoaders.of(request).byId.load(opportunity.accountId);
  }

  @ResolveField(() => [OpportunityContact], { description: 'The buying committee, in the order added' })
  async contacts(@Parent() opportunity: Opportunity, @Context() request: object): Promise<OpportunityContact[]> {
    const people = await this.contactLoaders.of(request).byId.loadMany(opportunity.contactRoles.map((role) => role.contactId));
    return opportunity.contactRoles.map((role, index) => {
      const person = people[index];
      if (person instanceof Error) throw person;
      return { contactId: role.contactId, role: role.role, contact: person };
    });
  }

  @ResolveField(() => [StageStay], { description: 'Every stay in a stage, in business time, reopenings included' })
  stageHistory(@Parent() opportunity: Opportunity, @Context() request: object): Promise<StageStay[]> {
    return this.opportunityLoaders.of(request).stageHistory.load(opportunity.id);
  }
}
