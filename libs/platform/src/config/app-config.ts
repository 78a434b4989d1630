import type { LogLevel, NodeEnvironment } from './environment-variables';

export type StoreMode = 'embedded' | 'external';

/** Whether the api runs the projections in its own process. */
export type RunProjections = 'auto' | boolean;

/** Validated configuration, read once at start. */
export interface AppConfig {
  /** HTTP port of the api; 0 picks a free one. */
  readonly port: number;
  /** Absolute path under which the embedded stores keep their data. */
  readonly dataDir: string;
  /** External event store; unset means the in-repo dev server runs in-process. */
  readonly eventStoreUrl: string | undefined;
  /** External PostgreSQL; unset means embedded PostgreSQL runs in-process. */
  readonly databaseUrl: string | undefined;
  readonly logLevel: LogLevel;
  readonly nodeEnv: NodeEnvironment;
  /** Port of embedded PostgreSQL; 0 picks a free one. */
  readonly embeddedPostgresPort: number;
  /**
   * RUN_PROJECTIONS (`true`, `false` or `auto`, default `auto`): whether the api runs the
   * projections in-process. `auto` runs them when the api started an embedded store, which
   * no separate projector can reach; with both stores external the projector runs them.
   */
  readonly runProjections: RunProjections;
  /**
   * REPORT_CACHE_ENTRIES (default 1000, 0 turns it off): how many report answers the api
   * keeps, each under the serving versions and checkpoints of the read models it read.
   */
  readonly reportCacheEntries: number;
  /**
   * GRAPHQL_MAX_DEPTH (default 12) and GRAPHQL_MAX_COST (default 100000): the most a GraphQL
   * query may nest and cost (a field 1, and what is under it once per item it can return: a
   * page's `first`, 10 for any other list). The default cost lets a page of 500 deals come with
   * each deal's account, contacts and stays.
   */
  readonly graphqlLimits: { readonly maxDepth: number; readonly maxCost: number };
}
