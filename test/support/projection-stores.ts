import { EventStore } from '@revops/event-store';
import { typeOrmReadStore, type ReadStoreSql } from '@revops/projections';
import { openReadStore } from '@revops/read-models';
import type { DataSource } from 'typeorm';
import { useEventStore, type EventStoreHandle } from './event-store';
import { usePostgres, type PostgresHandle } from './postgres';

/** Both stores of a projection test, with a client of each and the read store migrated. */
export interface ProjectionStores {
  readonly eventStore: EventStoreHandle;
  readonly postgres: PostgresHandle;
  readonly store: EventStore;
  readonly dataSource: DataSource;
  readonly sql: ReadStoreSql;
  /** Closes the clients, then the stores. */
  close(): Promise<void>;
}

export async function useProjectionStores(): Promise<ProjectionStores> {
  const [eventStore, postgres] = await Promise.all([useEventStore(), usePostgres()]);
  const dataSource = await openReadStore({ url: postgres.url, embedded: postgres.embedded });
  const store = new EventStore({ connectionString: eventStore.connectionString });
  return {
    eventStore,
    postgres,
    store,
    dataSource,
    sql: typeOrmReadStore(dataSource),
    close: async () => {
      await store.close();
      await dataSource.destroy();
      await Promise.all([postgres.stop(), eventStore.stop()]);
    },
  };
}
