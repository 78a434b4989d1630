import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AccountContactsResolver } from './account-contacts.resolver';
import { ContactsResolver } from './contacts.resolver';
import { ContactLoaders } from './queries/contact.loaders';
import { ContactQueryHandler } from './queries/contact.query';
import { JourneyQueryHandler } from './queries/journey.query';

/** People as the read side shows them: identity, funnel history, sales verdicts and journey. */
@Module({
  imports: [AccountsModule],
  providers: [ContactsResolver, AccountContactsResolver, ContactQueryHandler, JourneyQueryHandler, ContactLoaders],
  exports: [ContactLoaders],
})
export class ContactsModule {}
