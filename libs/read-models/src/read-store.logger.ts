import { Logger as NestLogger } from '@nestjs/common';
import type { Logger, LogLevel } from 'typeorm';

/**
 * Sends TypeORM's messages to the application log, those of the given kinds only (TypeORM
 * calls a custom logger for everything). SQL parameters are left out: they carry personal data.
 */
export class ReadStoreLogger implements Logger {
  private readonly logger = new NestLogger('ReadStore');
  private readonly enabled: ReadonlySet<LogLevel>;

  constructor(kinds: readonly LogLevel[]) {
    this.enabled = new Set(kinds);
  }

  logQuery(query: string): void {
    if (this.enabled.has('query')) this.logger.verbose(query);
  }

  logQueryError(error: string | Error, query: string): void {
    if (this.enabled.has('error')) this.logger.warn(`${typeof error === 'string' ? error : error.message} in ${query}`);
  }

  logQuerySlow(time: number, query: string): void {
    if (this.enabled.has('warn')) this.logger.warn(`slow query (${time} ms): ${query}`);
  }

  logSchemaBuild(message: string): void {
    if (this.enabled.has('schema')) this.logger.debug(message);
  }

  logMigration(message: string): void {
    if (this.enabled.has('migration')) this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (!this.enabled.has(level)) return;
    if (level === 'warn') this.logger.warn(message);
    else this.logger.log(message);
  }
}
