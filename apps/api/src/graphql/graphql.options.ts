import { join } from 'node:path';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '@revops/platform';
import { createGraphqlErrorFormatter } from './graphql-error.formatter';

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
    formatError: createGraphqlErrorFormatter(new Logger('GraphQL')),
  };
}
