import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Position } from '@revops/event-store';
import { ReadModels } from '../../common/read-side/read-models';
import type { Account } from '../graphql/account-read.types';
import { readAccounts } from './account-rows';

/** What an account's page shows besides the company: its people and its deals. */
export const ACCOUNT_PAGE_PROJECTIONS = ['accounts', 'contacts', 'opportunities'] as const;

export class AccountQuery extends Query<Account | null> {
  constructor(
    readonly accountId: string,
    readonly minPosition?: Position,
  ) {
    super();
  }
}

@QueryHandler(AccountQuery)
export class AccountQueryHandler implements IQueryHandler<AccountQuery, Account | null> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ accountId, minPosition }: AccountQuery): Promise<Account | null> {
    // Waiting on every read model the nested fields use keeps their loaders from answering
    // with rows older than the write the caller named.
    const view = await this.readModels.open(ACCOUNT_PAGE_PROJECTIONS, minPosition);
    const [account] = await readAccounts(view, [accountId]);
    return account ?? null;
  }
}
