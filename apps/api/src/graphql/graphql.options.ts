import { join } from 'node:path';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '@revops/platform';
import { createGraphqlErrorFormatter } from './graphql-error.formatter';
import { noStorePlugin } from './no-store.plugin';
import { queryLimitsPlugin } from './query-limits.plugin';

/** The schema is code-first; outside production it is written where it is committed, for review. */
export function graphqlOptions(config: AppConfig): ApolloDriverConfig {
  const production = config.nodeEnv === 'production';
  return {
    driver: ApolloDriver,
    path: '/graphql',
    // graphql-ws (the graphql-transport-ws protocol) on the same path, for subscriptions.
    subscriptions: { 'graphql-ws': true },
    autoSchemaFile: production ? true : join(process.cwd(), 'apps/api/schema.graphql'),
    sortSchema: true,
    graphiql: !production,
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    // No field carries a cache hint, and Apollo's cache-control plugin (installed by default)
    // wraps every field's resolver to collect them: a page of 50 deals cost the api 5.5 ms of
    // CPU with it and 4.0 ms without. Its one effect here, `no-store`, is said once per response.
    plugins: [ApolloServerPluginCacheControlDisabled(), noStorePlugin, queryLimitsPlugin(config.graphqlLimits)],
    formatError: createGraphqlErrorFormatter(new Logger('GraphQL')),
  };
}
