import { buildSchema, parse } from 'graphql';
import { getComplexity } from 'graphql-query-complexity';
import { fieldCost, LIST_SIZE_ESTIMATE } from './query-limits.plugin';

const schema = buildSchema(`
  type Query { deals(first: Int = 20): DealConnection! deal(id: ID!): Deal }
  type DealConnection { totalCount: Int! edges: [DealEdge!]! }
  type DealEdge { cursor: String! node: Deal! }
  type Deal { id: ID! account: Account! stays: [Stay!]! }
  type Account { name: String! deals: [Deal!]! }
  type Stay { stageId: String! }
`);

const cost = (query: string, variables: Record<string, unknown> = {}) => getComplexity({ schema, query: parse(query), variables, estimators: [fieldCost] });

describe('fieldCost', () => {
  it('counts a field once, and what is under an object once', () => {
    // deal 1 + id 1 + account (1 + name 1)
    expect(cost('{ deal(id: "d") { id account { name } } }')).toBe(4);
  });

  it('counts what is under a list once for each item a list is taken to hold', () => {
    expect(cost('{ deal(id: "d") { stays { stageId } } }')).toBe(1 + 1 + LIST_SIZE_ESTIMATE * 1);
  });

  it("counts a page's items as many times as its first asks, its edges list once, and takes first's default and variables", () => {
    // edges: 1 + (cursor 1 + node (1 + id 1)) = 4; the page: 1 + first × (totalCount 1 + edges 4)
    expect(cost('{ deals(first: 50) { totalCount edges { cursor node { id } } } }')).toBe(1 + 50 * 5);
    expect(cost('query ($n: Int) { deals(first: $n) { totalCount edges { cursor node { id } } } }', { n: 7 })).toBe(1 + 7 * 5);
    expect(cost('{ deals { totalCount edges { cursor node { id } } } }')).toBe(1 + 20 * 5);
  });

  it('multiplies along relations that go both ways, so each level of a cycle costs ten times the one before', () => {
    const level = (depth: number): string => (depth === 0 ? 'id' : `account { deals { ${level(depth - 1)} } }`);
    const costs = [1, 2, 3].map((depth) => cost(`{ deal(id: "d") { ${level(depth)} } }`));
    expect(costs[1] / costs[0]).toBeGreaterThan(LIST_SIZE_ESTIMATE - 1);
    expect(costs[2] / costs[1]).toBeGreaterThan(LIST_SIZE_ESTIMATE - 1);
  });
});
