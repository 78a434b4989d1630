export * from './embedded-postgres';
export * from './migrations/read-store-migrations';
export * from './projection-checkpoint.entity';
export * from './read-store.data-source';
export * from './read-store.module';
export { readStoreMigrations } from './migrations/read-store-migrations';
export * from './scratch-database';
