import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLoggerService } from 'nestjs-pino';
import type { Logger } from 'pino';
import { startEventStoreDevServer, type EventStoreDevServer } from '@revops/eventstore-dev';
import { createRootLogger, loadConfig } from '@revops/platform';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@revops/read-models';
import { ApiRuntime } from './api-runtime';
import { AppModule } from './app.module';
import { ingestionBodyReader, TOUCHPOINTS_ROUTE } from './touchpoints/ingestion/ingestion-body-reader';
import { ingestionLimits } from './touchpoints/ingestion/ingestion-limits';

/** A JSON request may carry a whole ingestion batch, with room for the GraphQL around it. */
const GRAPHQL_BODY_LIMIT = ingestionLimits.maxBodyBytes + 64 * 1024;

export interface RunningApi {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly runtime: ApiRuntime;
  /** The Nest application, for tests and tools that reach its services (ReadYourWrites, ProjectionsStatus). */
  readonly app: NestExpressApplication;
  /** Stops the Nest application, then embedded PostgreSQL, then the dev event store. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts the api the way `npm start` does: validates the configuration (InvalidConfigError
 * names each bad variable), starts in-process whichever store has no URL configured, then
 * the Nest application. Anything already started is stopped again if a later step fails.
 */
export async function startApi(env: NodeJS.ProcessEnv): Promise<RunningApi> {
  const config = loadConfig(env);
  const logger = createRootLogger(config.logLevel, 'api');

  let devEventStore: EventStoreDevServer | undefined;
  let embeddedPostgres: EmbeddedPostgres | undefined;
  let app: NestExpressApplication | undefined;
  let closing: Promise<void> | undefined;
  // The application holds connections to both stores, so it goes first. A step that fails
  // does not keep the next from running: PGlite must be closed for its data to be flushed.
  const close = () =>
    (closing ??= (async () => {
      const failures: unknown[] = [];
      for (const stop of [() => app?.close(), () => embeddedPostgres?.stop(), () => devEventStore?.close()]) {
        await Promise.resolve()
          .then(stop)
          .catch((error: unknown) => failures.push(error));
      }
      if (failures.length > 0) throw new AggregateError(failures, 'The api did not stop cleanly');
      logger.info('api stopped');
    })());

  try {
    // Embedded PostgreSQL goes first: its lock on DATA_DIR stops a second api on the same
    // directory before that one opens the event-store journal as well.
    if (!config.databaseUrl) {
      embeddedPostgres = await startEmbeddedPostgres({
        dataDir: join(config.dataDir, 'pg'),
        port: config.embeddedPostgresPort,
      });
    }
    if (!config.eventStoreUrl) {
      devEventStore = await startEventStoreDevServer({
        dataDir: join(config.dataDir, 'eventstore'),
        port: 0,
        logger: devServerLog(logger.child({ component: 'eventstore-dev' })),
      });
    }

    const runtime = new ApiRuntime(
      config,
      devEventStore
        ? { connectionString: devEventStore.connectionString, mode: 'embedded' }
        : { connectionString: config.eventStoreUrl as string, mode: 'external' },
      embeddedPostgres
        ? { url: embeddedPostgres.url, mode: 'embedded' }
        : { url: config.databaseUrl as string, mode: 'external' },
      logger,
    );
    logger.info(
      {
        eventStore: devEventStore ? { mode: 'embedded', url: devEventStore.connectionString } : { mode: 'external' },
        readStore: embeddedPostgres ? { mode: 'embedded', url: embeddedPostgres.url } : { mode: 'external' },
        dataDir: config.dataDir,
      },
      'stores ready',
    );

    // abortOnError: false makes a failed start throw here instead of aborting the process.
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(runtime), {
      bufferLogs: true,
      abortOnError: false,
      bodyParser: false,
    });
    app.useLogger(app.get(PinoLoggerService));
    // Answers are no-store (noStorePlugin): no caller revalidates one, so Express's ETag, a
    // hash of every body sent, is work for nothing (a page of 50 deals: 18 KB hashed each time).
    app.set('etag', false);
    // Ingestion reads its own body first; everything else is JSON, up to a size that fits
    // a full recordTouchpoints batch over GraphQL.
    app.use(`/${TOUCHPOINTS_ROUTE}`, ...ingestionBodyReader());
    app.useBodyParser('json', { limit: GRAPHQL_BODY_LIMIT });
    app.enableShutdownHooks(['SIGINT', 'SIGTERM']);
    await app.listen(config.port);

    const { port } = app.getHttpServer().address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    logger.info({ url, graphql: `${url}/graphql`, health: `${url}/health` }, 'api listening');
    return { url, runtime, app, close };
  } catch (error) {
    await close().catch((closeError: unknown) => logger.error({ err: closeError }, 'cleanup after a failed start failed'));
    throw error;
  }
}

/** The dev server logs plain objects with a level and a msg. */
function devServerLog(logger: Logger) {
  return (line: object) => {
    const { level, msg, ...rest } = line as { level?: string; msg?: string };
    const write = level === 'error' ? logger.error : level === 'warn' ? logger.warn : level === 'debug' ? logger.debug : logger.info;
    write.call(logger, rest, msg ?? '');
  };
}
