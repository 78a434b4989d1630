export * from './config/app-config';
export * from './config/environment-variables';
export * from './config/load-config';
export * from './logging/root-logger';
export * from './package-info';
export * from './health/health.module';
export * from './concurrency/for-each-concurrently';
