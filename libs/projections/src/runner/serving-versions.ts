import type { ProjectionBookkeeping } from './bookkeeping';
import { ProjectionNotReadyError } from './errors';
import { projectionSchema, type ProjectionSchema } from './projection';
import type { ProjectionSignals } from './signals';

export interface ServingVersion {
  readonly name: string;
  readonly version: number;
  /** Where its tables are: `schema.table('opportunities')`. */
  readonly schema: ProjectionSchema;
}

/**
 * Which version of a projection readers query. Cached briefly: right after a switch a reader
 * may still get the previous version, whose tables stay until the grace period of the switch
 * has passed.
 */
export class ServingVersions {
  private readonly cache = new Map<string, { value: ServingVersion; until: number }>();

  constructor(
    private readonly bookkeeping: ProjectionBookkeeping,
    signals: ProjectionSignals,
    private readonly cacheMs = 1_000,
  ) {
    signals.onChanged(({ name }) => this.cache.delete(name));
  }

  /** Rejects with PROJECTION_NOT_READY while no version has caught up yet. */
  async resolve(name: string): Promise<ServingVersion> {
    const cached = this.cache.get(name);
    if (cached && cached.until > Date.now()) return cached.value;
    const serving = await this.bookkeeping.serving(name);
    if (!serving) throw new ProjectionNotReadyError(`No version of projection ${name} has caught up yet`);
    const value = { name, version: serving.version, schema: projectionSchema(name, serving.version) };
    this.cache.set(name, { value, until: Date.now() + this.cacheMs });
    return value;
  }
}
