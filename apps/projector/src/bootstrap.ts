import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLoggerService } from 'nestjs-pino';
import type { Logger } from 'pino';
import { createRootLogger, InvalidConfigError, loadConfig } from '@revops/platform';
import { ProjectorModule } from './projector.module';

export interface RunningProjector {
  readonly url: string;
  readonly logger: Logger;
  /** The Nest application, for tests and tools that reach its services (ProjectionsStatus, ProjectionsAdmin). */
  readonly app: INestApplication;
  close(): Promise<void>;
}

/**
 * Starts the standalone projector. It runs beside stores that exist already: in embedded
 * mode the api runs the projections in-process instead, so both URLs are required here.
 */
export async function startProjector(env: NodeJS.ProcessEnv): Promise<RunningProjector> {
  const config = loadConfig(env);
  const missing = [
    config.eventStoreUrl ? undefined : 'EVENTSTORE_URL is required by the projector (embedded mode runs projections inside the api)',
    config.databaseUrl ? undefined : 'DATABASE_URL is required by the projector (embedded mode runs projections inside the api)',
  ].filter((problem): problem is string => problem !== undefined);
  if (missing.length > 0) throw new InvalidConfigError(missing);

  const logger = createRootLogger(config.logLevel, 'projector');
  const app = await NestFactory.create(
    ProjectorModule.forRoot({ eventStoreUrl: config.eventStoreUrl!, databaseUrl: config.databaseUrl! }, logger),
    { bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(PinoLoggerService));
  await app.listen(config.port);
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  logger.info({ url, health: `${url}/health` }, 'projector listening');

  let closing: Promise<void> | undefined;
  return { url, logger, app, close: () => (closing ??= app.close()) };
}
