import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QueryFailedError } from 'typeorm';
import { openReadStore, readStoreDataSourceOptions, type ReadStoreConnection } from './read-store.data-source';

/** The read store's TypeORM DataSource, migrated before the application serves anything. */
@Module({})
export class ReadStoreModule {
  static forRoot(connection: ReadStoreConnection): DynamicModule {
    return {
      module: ReadStoreModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...readStoreDataSourceOptions(connection),
            // Embedded PostgreSQL is up before the module starts; an external server may still
            // be starting beside the api (docker compose), so connecting gets a few tries. A
            // failing migration (a QueryFailedError) would fail again: it is not retried.
            retryAttempts: connection.embedded ? 0 : 5,
            retryDelay: 2_000,
            toRetry: (error: unknown) => !(error instanceof QueryFailedError),
          }),
          dataSourceFactory: () => openReadStore(connection),
        }),
      ],
    };
  }
}
