import { resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { AppConfig } from './app-config';
import { EnvironmentVariables, secretVariables } from './environment-variables';

export class InvalidConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'InvalidConfigError';
  }
}

/** Report answers kept by default; each is one report's result, a few kilobytes. */
export const DEFAULT_REPORT_CACHE_ENTRIES = 1_000;

/** How deeply a GraphQL query may nest its fields by default; the deepest the api's own clients ask is 7. */
export const DEFAULT_GRAPHQL_MAX_DEPTH = 12;

/** What a GraphQL query may cost by default: a page of 500 deals with their accounts, contacts and stays costs 75,001. */
export const DEFAULT_GRAPHQL_MAX_COST = 100_000;

const variableNames = [
  'PORT',
  'DATA_DIR',
  'EVENTSTORE_URL',
  'DATABASE_URL',
  'LOG_LEVEL',
  'NODE_ENV',
  'EMBEDDED_POSTGRES_PORT',
  'RUN_PROJECTIONS',
  'REPORT_CACHE_ENTRIES',
  'GRAPHQL_MAX_DEPTH',
  'GRAPHQL_MAX_COST',
] as const satisfies readonly (keyof EnvironmentVariables)[];

/**
 * Reads and validates the variables the apps understand. An empty variable counts as unset,
 * as compose files and CI often export `NAME=` to mean "no value". Relative paths resolve
 * against `cwd`.
 */
export function loadConfig(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): AppConfig {
  const raw: Record<string, string> = {};
  for (const name of variableNames) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[name] = value;
  }

  const variables = plainToInstance(EnvironmentVariables, raw);
  const errors = validateSync(variables, { forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new InvalidConfigError(
      errors.map((error) => {
        // Every rule of a variable carries the same message, so the first one says it all.
        const rule = Object.values(error.constraints ?? {})[0] ?? `${error.property} is invalid`;
        return secretVariables.has(error.property) ? rule : `${rule} (got ${JSON.stringify(raw[error.property])})`;
      }),
    );
  }

  return {
    port: variables.PORT ?? 3000,
    dataDir: resolve(cwd, variables.DATA_DIR ?? '.data'),
    eventStoreUrl: variables.EVENTSTORE_URL,
    databaseUrl: variables.DATABASE_URL,
    logLevel: variables.LOG_LEVEL ?? 'info',
    nodeEnv: variables.NODE_ENV ?? 'development',
    embeddedPostgresPort: variables.EMBEDDED_POSTGRES_PORT ?? 0,
    runProjections: variables.RUN_PROJECTIONS === 'true' ? true : variables.RUN_PROJECTIONS === 'false' ? false : 'auto',
    reportCacheEntries: variables.REPORT_CACHE_ENTRIES ?? DEFAULT_REPORT_CACHE_ENTRIES,
    graphqlLimits: {
      maxDepth: variables.GRAPHQL_MAX_DEPTH ?? DEFAULT_GRAPHQL_MAX_DEPTH,
      maxCost: variables.GRAPHQL_MAX_COST ?? DEFAULT_GRAPHQL_MAX_COST,
    },
  };
}
