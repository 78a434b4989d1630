import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Position } from '@revops/event-store';
import { ProjectionNotReadyError, ReadYourWrites, ServingVersions, type ProjectionSchema } from '@revops/projections';

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
