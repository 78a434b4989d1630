import { Module } from '@nestjs/common';
import { AccountsResolver } from './accounts.resolver';
import { AssociateContactWithAccountHandler } from './commands/associate-contact-with-account.handler';
import { CreateAccountHandler } from './commands/create-account.handler';
import { JoinCompanyAccountHandler } from './commands/join-company-account.handler';

/** Companies: created by hand or by their first lead, with the contacts who work there. */
@Module({
  providers: [AccountsResolver, CreateAccountHandler, AssociateContactWithAccountHandler, JoinCompanyAccountHandler],
})
export class AccountsModule {}
