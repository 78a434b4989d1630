import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Account } from '../accounts/graphql/account-read.types';
import { Contact } from './graphql/contact.types';
import { ContactLoaders } from './queries/contact.loaders';

@Resolver(() => Account)
export class AccountContactsResolver {
  constructor(private readonly contactLoaders: ContactLoaders) {}

  @ResolveField(() => [Contact], { description: 'The people who work at the company now, in the order they were captured' })
  contacts(@Parent() account: Account, @Context() request: object): Promise<Contact[]> {
    return this.contactLoaders.of(request).byAccountId.load(account.id);
  }
}
