import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Position } from '@revops/event-store';
import { ReadYourWrites, ServingVersions, type ProjectionSchema } from '@revops/projections';

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
  constructor(
    private readonly dataSource: DataSource,
    private readonly serving: ServingVersions,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  async open(projections: readonly string[], minPosition?: Position, timeoutMs = READ_YOUR_WRITES_TIMEOUT_MS): Promise<ReadModelView> {
    if (minPosition) {
      await Promise.all(projections.map((name) => this.readYourWrites.waitForPosition(name, minPosition, timeoutMs)));
    }
    const schemas = new Map<string, ProjectionSchema>(
      await Promise.all(projections.map(async (name) => [name, (await this.serving.resolve(name)).schema] as const)),
    );
    return {
      table: (projection, table) => {
        const schema = schemas.get(projection);
        if (!schema) throw new Error(`Projection ${projection} was not opened for this query`);
        return schema.table(table);
      },
      query: <Row>(sql: string, parameters: readonly unknown[] = []) => this.dataSource.query<Row[]>(sql, [...parameters]),
    };
  }
}
