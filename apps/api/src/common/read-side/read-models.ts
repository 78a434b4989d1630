import { Injectable, Optional } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import type { Position } from '@revops/event-store';
import { DEFAULT_REPORT_CACHE_ENTRIES } from '@revops/platform';
import {
  ProjectionNotReadyError,
  Projections,
  projectionSchema,
  ReadYourWrites,
  ServingVersions,
  type ProjectionSchema,
  type ServingState,
} from '@revops/projections';
import { ApiRuntime } from '../../api-runtime';

/** The serving versions of a few projections, resolved once for one query. */
export interface ReadModelView {
  /** The quoted, schema-qualified table of a projection's serving version: `table('opportunities', 'opportunity_stage_history')`. */
  table(projection: string, table: string): string;
  query<Row = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]): Promise<Row[]>;
}

/** How long a query given `minPosition` waits for its read models before it answers PROJECTION_TIMEOUT. */
export const READ_YOUR_WRITES_TIMEOUT_MS = 10_000;

/**
 * Where queries read: the serving version of each projection they name, after waiting, when
 * the caller passes the position a mutation returned, until every one of them has passed it.
 * A read model that cannot catch up in time answers PROJECTION_TIMEOUT rather than stale rows.
 */
@Injectable()
export class ReadModels {
  /** Answers of reports by report, arguments and state of the read models read; a pending answer is shared. */
  private readonly answers: LRUCache<string, Promise<unknown>> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly serving: ServingVersions,
    private readonly readYourWrites: ReadYourWrites,
    private readonly projections: Projections,
    @Optional() runtime?: ApiRuntime,
  ) {
    const entries = runtime?.config.reportCacheEntries ?? DEFAULT_REPORT_CACHE_ENTRIES;
    this.answers = entries > 0 ? new LRUCache({ max: entries }) : undefined;
  }

  async open(projections: readonly string[], minPosition?: Position, timeoutMs = READ_YOUR_WRITES_TIMEOUT_MS): Promise<ReadModelView> {
    await this.waitFor(projections, minPosition, timeoutMs);
    // A read model that has never caught up fails only the parts of the answer that read it:
    // a page of deals answers while the accounts read model is still being built.
    const schemas = new Map<string, ProjectionSchema | ProjectionNotReadyError>(
      await Promise.all(
        projections.map(async (name) => {
          const schema = await this.serving.resolve(name).then(
            (serving) => serving.schema,
            (error: unknown) => {
              if (error instanceof ProjectionNotReadyError) return error;
              throw error;
            },
          );
          return [name, schema] as const;
        }),
      ),
    );
    return this.viewOf(schemas);
  }

  /**
   * A report's answer: computed from the read models' serving versions, or the answer already
   * computed for the same report and arguments while every one of them stood at the same
   * version and checkpoint. Read models change only when their checkpoint moves, so a kept
   * answer is never stale, and nothing has to be told to forget it. `args` must hold
   * everything the answer depends on besides the read models (no "now").
   */
  async report<T>(
    report: string,
    args: unknown,
    projections: readonly string[],
    minPosition: Position | undefined,
    compute: (view: ReadModelView) => Promise<T>,
  ): Promise<T> {
    await this.waitFor(projections, minPosition, READ_YOUR_WRITES_TIMEOUT_MS);
    const states = this.answers ? await this.projections.bookkeeping.servingStates(projections) : [];
    // Without a cache, or with a read model not serving yet, the answer is computed as usual.
    if (!this.answers || states.length < new Set(projections).size) return compute(await this.open(projections));
    // The view reads exactly the versions the key names, never a resolver's older choice.
    const view = this.viewOf(new Map(states.map((state) => [state.name, projectionSchema(state.name, state.version)])));
    const key = JSON.stringify([report, args, states.map(stateKey)], (_, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value));
    const kept = this.answers.get(key) as Promise<T> | undefined;
    if (kept) return kept;
    const answer = compute(view);
    this.answers.set(key, answer);
    // A failure is not kept: the next request tries again.
    answer.catch(() => {
      if (this.answers?.get(key) === answer) this.answers.delete(key);
    });
    return answer;
  }

  private async waitFor(projections: readonly string[], minPosition: Position | undefined, timeoutMs: number): Promise<void> {
    if (!minPosition) return;
    await Promise.all(projections.map((name) => this.readYourWrites.waitForPosition(name, minPosition, timeoutMs)));
  }

  private viewOf(schemas: ReadonlyMap<string, ProjectionSchema | ProjectionNotReadyError>): ReadModelView {
    return {
      table: (projection, table) => {
        const schema = schemas.get(projection);
        if (!schema) throw new Error(`Projection ${projection} was not opened for this query`);
        if (schema instanceof ProjectionNotReadyError) throw schema;
        return schema.table(table);
      },
      query: <Row>(sql: string, parameters: readonly unknown[] = []) => this.dataSource.query<Row[]>(sql, [...parameters]),
    };
  }
}

function stateKey({ name, version, checkpoint }: ServingState): string {
  return `${name}@${version}:${checkpoint ? `${checkpoint.commit}/${checkpoint.prepare}` : '-'}`;
}
