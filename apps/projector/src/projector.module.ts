import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { EventStoreModule } from '@revops/event-store';
import { HealthModule, isPolledEndpoint, MetricsModule } from '@revops/platform';
import { allProjections, ProjectionsModule } from '@revops/projections';
import { ReadStoreModule } from '@revops/read-models';

export interface ProjectorStores {
  readonly eventStoreUrl: string;
  readonly databaseUrl: string;
}

/**
 * The projector process: connected to the event store and to a migrated read store,
 * answering `GET /health` for its orchestrator and `GET /metrics` for Prometheus, running every projection of `allProjections`.
 * Several projectors may run side by side: leases give each projection version to one.
 */
@Module({})
export class ProjectorModule {
  static forRoot(stores: ProjectorStores, logger: Logger): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [
        LoggerModule.forRoot({ pinoHttp: { logger, autoLogging: { ignore: isPolledEndpoint } } }),
        EventStoreModule.forRoot({ connectionString: stores.eventStoreUrl, isGlobal: true }),
        ReadStoreModule.forRoot({ url: stores.databaseUrl, embedded: false }),
        ProjectionsModule.forRoot({ projections: allProjections, readStore: { url: stores.databaseUrl, embedded: false } }),
        HealthModule,
        MetricsModule,
      ],
    };
  }
}
