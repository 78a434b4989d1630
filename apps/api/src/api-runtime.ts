import type { AppConfig, StoreMode } from '@revops/platform';
import type { Logger } from 'pino';

/**
 * What startApi settled before the Nest application starts: the configuration, where each
 * store is and whether this process runs it, and the process's logger.
 */
export class ApiRuntime {
  constructor(
    readonly config: AppConfig,
    readonly eventStore: { readonly connectionString: string; readonly mode: StoreMode },
    readonly readStore: { readonly url: string; readonly mode: StoreMode },
    readonly logger: Logger,
  ) {}
}
