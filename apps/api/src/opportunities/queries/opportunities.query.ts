import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Position } from '@revops/event-store';
import { ReadModels, type ReadModelView } from '../../common/read-side/read-models';
import type { OpportunityConnection } from '../graphql/opportunity-read.types';
import { decodeCursor, encodeCursor, type OpportunityOrder, type PagePosition } from './opportunity-cursor';
import { checkCriteria, opportunityPageStatements, type OpportunityCriteria } from './opportunity-page-sql';
import { OPPORTUNITY_STATE_COLUMNS, type StoredOpportunityState } from '@revops/projections';
import { opportunityOf } from './opportunity-rows';
import { OPPORTUNITY_READ_MODELS } from './opportunity.query';

export class OpportunitiesQuery extends Query<OpportunityConnection> {
  constructor(
    readonly criteria: OpportunityCriteria,
    readonly order: OpportunityOrder,
    readonly first: number,
    readonly after: string | null,
    readonly minPosition?: Position,
  ) {
    super();
  }
}

@QueryHandler(OpportunitiesQuery)
export class OpportunitiesQueryHandler implements IQueryHandler<OpportunitiesQuery, OpportunityConnection> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ criteria, order, first, after, minPosition }: OpportunitiesQuery): Promise<OpportunityConnection> {
    // Bad arguments are refused before waiting for any read model.
    checkCriteria(criteria);
    const position = after ? decodeCursor(after, order) : null;
    return this.readModels.report('opportunities', { criteria, order, first, after }, OPPORTUNITY_READ_MODELS, minPosition, (view) =>
      opportunityPage(view, criteria, order, first, position),
    );
  }
}

async function opportunityPage(
  view: ReadModelView,
  criteria: OpportunityCriteria,
  order: OpportunityOrder,
  first: number,
  after: PagePosition | null,
): Promise<OpportunityConnection> {
  const { page, count } = opportunityPageStatements(view.table('opportunities', 'opportunities'), OPPORTUNITY_STATE_COLUMNS, {
    criteria,
    order,
    after,
    first,
  });
  const rows = await view.query<StoredOpportunityState & { sort_key: string }>(page.sql, page.parameters);
  const [{ total }] = await view.query<{ total: number }>(count.sql, count.parameters);
  const edges = rows.slice(0, first).map((row) => ({
    cursor: encodeCursor(order, { key: row.sort_key, id: row.opportunity_id }),
    node: opportunityOf(row),
  }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: Number(total),
  };
}
