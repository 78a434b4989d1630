import { Module } from '@nestjs/common';
import { AccountsResolver } from './accounts.resolver';
import { AssociateContactWithAccountHandler } from './commands/associate-contact-with-account.handler';
import { CreateAccountHandler } from './commands/create-account.handler';
import { JoinCompanyAccountHandler } from './commands/join-company-account.handler';
import { AccountLoaders } from './queries/account.loaders';
import { AccountQueryHandler } from './queries/account.query';

/** Companies: created by hand or by their first lead, with the contacts who work there. */
@Module({
  providers: [
    AccountsResolver,
    CreateAccountHandler,
    AssociateContactWithAccountHandler,
    JoinCompanyAccountHandler,
    AccountQueryHandler,
    AccountLoaders,
  ],
  exports: [AccountLoaders],
})
export class AccountsModule {}
