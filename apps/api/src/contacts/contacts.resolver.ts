import { Args, Context, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { QueryBus } from '@nestjs/cqrs';
import { Account } from '../accounts/graphql/account-read.types';
import { AccountLoaders } from '../accounts/queries/account.loaders';
import { PositionInput, positionOf } from '../common/read-side/position.input';
import { Contact, IdentityLink, LeadDecision, LifecycleStageTimes } from './graphql/contact.types';
import { JourneyTouchpoint } from './graphql/journey.types';
import { ContactLoaders } from './queries/contact.loaders';
import { ContactQuery } from './queries/contact.query';
import { JourneyQuery } from './queries/journey.query';

@Resolver(() => Contact)
export class ContactsResolver {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly contactLoaders: ContactLoaders,
    private readonly accountLoaders: AccountLoaders,
  ) {}

  @Query(() => Contact, { nullable: true, description: 'A person with their funnel history and sales verdicts; null when unknown' })
  contact(
    @Args('id', { type: () => ID }) id: string,
    @Args('minPosition', { type: () => PositionInput, nullable: true }) minPosition?: PositionInput | null,
  ): Promise<Contact | null> {
    return this.queryBus.execute(new ContactQuery(id, positionOf(minPosition)));
  }

  @Query(() => [JourneyTouchpoint], {
    description:
      "A contact's touches in business-time order (ties by log position), including those recorded anonymously before identification",
  })
  journey(
    @Args('contactId', { type: () => ID }) contactId: string,
    @Args('minPosition', { type: () => PositionInput, nullable: true }) minPosition?: PositionInput | null,
  ): Promise<JourneyTouchpoint[]> {
    return this.queryBus.execute(new JourneyQuery(contactId, positionOf(minPosition)));
  }

  @ResolveField(() => Account, { nullable: true })
  account(@Parent() contact: Contact, @Context() request: object): Promise<Account | null> | null {
    return contact.accountId === null ? null : this.accountLoaders.of(request).byId.load(contact.accountId);
  }

  @ResolveField(() => [LifecycleStageTimes], { description: 'Each stage the contact reached, in the order first reached' })
  lifecycleStages(@Parent() contact: Contact, @Context() request: object): Promise<LifecycleStageTimes[]> {
    return this.contactLoaders.of(request).lifecycleStages.load(contact.id);
  }

  @ResolveField(() => [LeadDecision], { description: 'Every accept or reject by sales, oldest first' })
  leadDecisions(@Parent() contact: Contact, @Context() request: object): Promise<LeadDecision[]> {
    return this.contactLoaders.of(request).leadDecisions.load(contact.id);
  }

  @ResolveField(() => [IdentityLink], { description: 'Anonymous ids whose touches belong to the contact' })
  identityLinks(@Parent() contact: Contact, @Context() request: object): Promise<IdentityLink[]> {
    return this.contactLoaders.of(request).identityLinks.load(contact.id);
  }
}
