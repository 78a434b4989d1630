import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventStore } from '@revops/event-store';
import { Metrics } from '@revops/platform';
import { ProjectionMetrics } from './projection-metrics';
import { Projections, type ProjectionsOptions } from './projections';
import { ProjectionsAdmin } from './projections-admin';
import { ProjectionsStatus } from './projections-status';
import { ReadYourWrites } from './read-your-writes';
import { typeOrmReadStore } from './read-store-sql';
import { ServingVersions } from './serving-versions';
import { ProjectionSignals } from './signals';

export const PROJECTIONS_OPTIONS = Symbol('PROJECTIONS_OPTIONS');

/** Starts the runners once the application is up and stops them before the stores close. */
@Injectable()
export class ProjectionsLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(Projections) private readonly projections: Projections) {}

  onApplicationBootstrap(): void {
    this.projections.start();
  }

  // Before, not on, shutdown: the EventStore and the DataSource close in onApplicationShutdown,
  // and the batch in flight still needs both to commit.
  async beforeApplicationShutdown(): Promise<void> {
    await this.projections.stop();
  }
}

/** Where the application has `GET /metrics` (MetricsModule), the projections' status is in it. */
@Injectable()
export class ProjectionsMetricsRegistration {
  constructor(@Optional() @Inject(Metrics) metrics: Metrics | undefined, @Inject(ProjectionsStatus) status: ProjectionsStatus) {
    if (!metrics) return;
    const projections = new ProjectionMetrics(metrics.registry, status);
    metrics.onScrape(() => projections.refresh());
  }
}

/**
 * `ProjectionsModule.forRoot({ projections, readStore })`. Needs the `EventStore` (EventStoreModule
 * with isGlobal) and the read store's `DataSource` (ReadStoreModule) in scope; provides
 * ProjectionsStatus, ServingVersions, ReadYourWrites, ProjectionsAdmin and ProjectionSignals; puts the status in `GET /metrics` where MetricsModule is imported.
 */
@Module({})
export class ProjectionsModule {
  static forRoot(options: ProjectionsOptions): DynamicModule {
    const facade = <T>(provide: abstract new (...args: never[]) => T, pick: (projections: Projections) => T) => ({
      provide,
      useFactory: pick,
      inject: [Projections],
    });
    return {
      module: ProjectionsModule,
      // One set of runners per process: feature modules inject the services without importing it again.
      global: true,
      providers: [
        { provide: PROJECTIONS_OPTIONS, useValue: options },
        {
          provide: Projections,
          useFactory: (store: EventStore, dataSource: DataSource, resolved: ProjectionsOptions) =>
            new Projections({ store, sql: typeOrmReadStore(dataSource) }, resolved),
          inject: [EventStore, DataSource, PROJECTIONS_OPTIONS],
        },
        facade(ProjectionsStatus, (projections) => projections.status),
        facade(ServingVersions, (projections) => projections.serving),
        facade(ReadYourWrites, (projections) => projections.readYourWrites),
        facade(ProjectionsAdmin, (projections) => projections.admin),
        facade(ProjectionSignals, (projections) => projections.signals),
        ProjectionsLifecycle,
        ProjectionsMetricsRegistration,
      ],
      exports: [Projections, ProjectionsStatus, ServingVersions, ReadYourWrites, ProjectionsAdmin, ProjectionSignals],
    };
  }
}
