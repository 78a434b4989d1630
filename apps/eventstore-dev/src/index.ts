export { startEventStoreDevServer, DEFAULT_MAX_APPEND_SIZE } from './server';
export type { EventStoreDevServer, EventStoreDevServerOptions } from './server';
