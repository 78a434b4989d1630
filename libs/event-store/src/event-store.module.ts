import { ConfigurableModuleBuilder, Module } from '@nestjs/common';
import { EventStore, type EventStoreOptions } from './event-store';

const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } = new ConfigurableModuleBuilder<EventStoreOptions>({
  moduleName: 'EventStore',
})
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

export const EVENT_STORE_OPTIONS = MODULE_OPTIONS_TOKEN;

/**
 * Provides the `EventStore`:
 * `EventStoreModule.forRoot({ connectionString })`, or `forRootAsync({ inject, useFactory })`
 * to take the options from configuration. The connection is released on application
 * shutdown (`app.close()`, or a signal when shutdown hooks are enabled).
 */
@Module({
  providers: [
    {
      provide: EventStore,
      useFactory: (options: EventStoreOptions) => new EventStore(options),
      inject: [MODULE_OPTIONS_TOKEN],
    },
  ],
  exports: [EventStore],
})
export class EventStoreModule extends ConfigurableModuleClass {}
