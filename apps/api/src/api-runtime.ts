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

  /**
   * Whether this process runs the projections. A store the api started itself lives and dies
   * with it, where no separate projector can follow, so then it projects in-process (and
   * embedded PostgreSQL admits one process anyway); RUN_PROJECTIONS overrides the choice.
   */
  get runsProjections(): boolean {
    const { runProjections } = this.config;
    if (runProjections !== 'auto') return runProjections;
    return this.eventStore.mode === 'embedded' || this.readStore.mode === 'embedded';
  }
}
