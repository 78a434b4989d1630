import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min, ValidateBy } from 'class-validator';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

export const runProjectionsValues = ['auto', 'true', 'false'] as const;

export const nodeEnvironments = ['development', 'production', 'test'] as const;
export type NodeEnvironment = (typeof nodeEnvironments)[number];

// Digits only: Number() alone would accept "1e3", " 80 " or "0x50" as ports.
const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;

/** An optional variable holding a whole number from `min` to `max`, refused with `message` otherwise. */
function OptionalInteger(min: number, max: number, message: string): PropertyDecorator {
  const rule = { message };
  return applyDecorators(IsOptional(), Transform(toInteger), IsInt(rule), Min(min, rule), Max(max, rule));
}

const Port = (name: string) => OptionalInteger(0, 65535, `${name} must be an integer between 0 and 65535`);

// esdb/kurrentdb connection strings may list several hosts (host1:2113,host2:2113), which
// WHATWG URL parsing rejects, so only the scheme and a non-empty authority are checked here;
// the event-store client reports anything finer when it connects.
const eventStoreUrlPattern = /^(esdb|kurrentdb)(\+discover)?:\/\/[^\s/?#]+/;

function isPostgresUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * The process environment as the apps read it. Property names are the variable names, so
 * class-validator's property path is the variable a user has to fix.
 */
export class EnvironmentVariables {
  @Port('PORT')
  PORT?: number;

  @IsOptional()
  @IsString({ message: 'DATA_DIR must be a directory path' })
  @IsNotEmpty({ message: 'DATA_DIR must be a directory path' })
  DATA_DIR?: string;

  @IsOptional()
  @Matches(eventStoreUrlPattern, {
    message: 'EVENTSTORE_URL must be an esdb:// or kurrentdb:// connection string (esdb://host:2113?tls=false)',
  })
  EVENTSTORE_URL?: string;

  @IsOptional()
  @ValidateBy(
    { name: 'isPostgresUrl', validator: { validate: isPostgresUrl } },
    { message: 'DATABASE_URL must be a postgres:// URL with a host (postgres://user:password@host:5432/database)' },
  )
  DATABASE_URL?: string;

  @IsOptional()
  @IsIn(logLevels, { message: `LOG_LEVEL must be one of ${logLevels.join(', ')}` })
  LOG_LEVEL?: LogLevel;

  @IsOptional()
  @IsIn(nodeEnvironments, { message: `NODE_ENV must be one of ${nodeEnvironments.join(', ')}` })
  NODE_ENV?: NodeEnvironment;

  @Port('EMBEDDED_POSTGRES_PORT')
  EMBEDDED_POSTGRES_PORT?: number;

  @OptionalInteger(0, 100_000, 'REPORT_CACHE_ENTRIES must be an integer from 0 (no cache) to 100000')
  REPORT_CACHE_ENTRIES?: number;

  @OptionalInteger(1, 100, 'GRAPHQL_MAX_DEPTH must be an integer from 1 to 100')
  GRAPHQL_MAX_DEPTH?: number;

  @OptionalInteger(1, 100_000_000, 'GRAPHQL_MAX_COST must be an integer from 1 to 100000000')
  GRAPHQL_MAX_COST?: number;

  @IsOptional()
  @IsIn(runProjectionsValues, { message: `RUN_PROJECTIONS must be one of ${runProjectionsValues.join(', ')}` })
  RUN_PROJECTIONS?: (typeof runProjectionsValues)[number];
}

/** Variables whose values may carry credentials and so never appear in an error message. */
export const secretVariables: ReadonlySet<string> = new Set(['EVENTSTORE_URL', 'DATABASE_URL']);
