import { Inject, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { EventStore } from './event-store';
import { EventStoreModule } from './event-store.module';

// Nothing listens here: the client connects lazily, and these tests never issue a call.
const connectionString = 'esdb://127.0.0.1:1?tls=false';

@Injectable()
class StoreConfig {
  readonly eventStoreUrl = connectionString;
}

@Module({ providers: [StoreConfig], exports: [StoreConfig] })
class ConfigModule {}

@Injectable()
class PipelineService {
  constructor(@Inject(EventStore) readonly store: EventStore) {}
}

@Module({ providers: [PipelineService] })
class PipelineModule {}

describe('EventStoreModule', () => {
  it('provides an EventStore and closes it when the application shuts down', async () => {
    const app = await Test.createTestingModule({ imports: [EventStoreModule.forRoot({ connectionString })] }).compile();
    const store = app.get(EventStore);
    expect(store).toBeInstanceOf(EventStore);
    expect(store.isClosed).toBe(false);

    await app.close();

    expect(store.isClosed).toBe(true);
    await expect(store.ping()).rejects.toMatchObject({ code: 'EVENT_STORE_UNAVAILABLE' });
  });

  it('takes its options from a factory with injected configuration', async () => {
    const app = await Test.createTestingModule({
      imports: [
        EventStoreModule.forRootAsync({
          imports: [ConfigModule],
          inject: [StoreConfig],
          useFactory: (config: StoreConfig) => ({ connectionString: config.eventStoreUrl }),
        }),
      ],
    }).compile();

    expect(app.get(EventStore)).toBeInstanceOf(EventStore);
    await app.close();
  });

  it('can be registered once for the whole application', async () => {
    const app = await Test.createTestingModule({
      imports: [EventStoreModule.forRoot({ connectionString, isGlobal: true }), PipelineModule],
    }).compile();

    expect(app.get(PipelineService).store).toBe(app.get(EventStore));
    await app.close();
  });
});
