import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { PubSub } from 'graphql-subscriptions';
import { Gauge } from 'prom-client';
import { Metrics } from '@revops/platform';
import type { Position, RecordedEnvelope } from '@revops/event-store';
import {
  OPPORTUNITIES_PROJECTION,
  PIPELINES_PROJECTION,
  ProjectionSignals,
  ServingVersions,
  type Committed,
} from '@revops/projections';
import { DataSource } from 'typeorm';
import type { CommitPosition } from '../common/graphql/write-receipt.types';
import type { OpportunityChange, PipelineChange } from './graphql/live.types';

export const OPPORTUNITY_CHANGED = 'opportunityChanged';
export const PIPELINE_CHANGED = 'pipelineChanged';
export type LiveTrigger = typeof OPPORTUNITY_CHANGED | typeof PIPELINE_CHANGED;

interface OpportunityRow {
  opportunity_id: string;
  pipeline_id: string;
  name: string;
  stage_id: string;
  status: string;
  amount_minor: string;
  currency: string;
  owner_id: string;
}

/**
 * Publishes to subscribers what a projection batch changed, once its transaction has
 * committed: the runner signals the commit with the batch, and only the serving version's
 * commits are published, so a rebuild in the background stays quiet. The runners are this
 * process's own, or, when a separate projector runs them, theirs as the commit feed relays
 * them (announced with NOTIFY on the read store).
 */
@Injectable()
export class LiveUpdates implements OnModuleInit, OnApplicationShutdown {
  private readonly pubSub = new PubSub();
  private readonly logger = new Logger('LiveUpdates');
  private readonly open: Gauge<'field'>;
  private stopListening: (() => void) | undefined;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly signals: ProjectionSignals,
    private readonly serving: ServingVersions,
    private readonly dataSource: DataSource,
    metrics: Metrics,
  ) {
    this.open = new Gauge({
      name: 'revops_graphql_subscriptions',
      help: 'GraphQL subscriptions open now, by field.',
      labelNames: ['field'],
      registers: [metrics.registry],
    });
    for (const field of [OPPORTUNITY_CHANGED, PIPELINE_CHANGED]) this.open.set({ field }, 0);
  }

  /**
   * What one subscription to `trigger` receives, counted among the open subscriptions
   * (`revops_graphql_subscriptions`) until graphql-ws ends it: the client completes it, or its
   * connection closes.
   */
  subscribe<T>(trigger: LiveTrigger): AsyncIterableIterator<T> {
    const messages = this.pubSub.asyncIterableIterator<T>(trigger);
    let counted = true;
    const uncount = () => {
      if (counted) this.open.dec({ field: trigger });
      counted = false;
    };
    this.open.inc({ field: trigger });
    return {
      next: () => messages.next(),
      return: () => {
        uncount();
        return messages.return();
      },
      throw: (error?: unknown) => {
        uncount();
        return messages.throw(error);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  onModuleInit(): void {
    this.stopListening = this.signals.onCommitted((notice) => {
      if (notice.batch.length === 0) return;
      if (notice.name !== OPPORTUNITIES_PROJECTION && notice.name !== PIPELINES_PROJECTION) return;
      // One after the other, so subscribers see changes in commit order.
      this.pending = this.pending
        .then(() => this.publish(notice))
        .catch((error: unknown) => this.logger.warn(`live update after ${notice.name} v${notice.version} not published: ${String(error)}`));
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopListening?.();
    await this.pending;
  }

  private async publish(notice: Committed): Promise<void> {
    const serving = await this.serving.resolve(notice.name).catch(() => undefined);
    if (serving?.version !== notice.version) return;
    const position = commitPosition(notice.checkpoint);
    if (notice.name === PIPELINES_PROJECTION) {
      for (const pipelineId of idsOf(notice.batch, 'pipelineId')) {
        await this.pubSub.publish(PIPELINE_CHANGED, { [PIPELINE_CHANGED]: { pipelineId, opportunityIds: [], position } });
      }
      return;
    }
    const rows = await this.dataSource.query<OpportunityRow[]>(
      `SELECT opportunity_id, pipeline_id, name, stage_id, status, amount_minor, currency, owner_id
         FROM ${serving.schema.table('opportunities')} WHERE opportunity_id = ANY($1)`,
      [idsOf(notice.batch, 'opportunityId')],
    );
    const byPipeline = new Map<string, string[]>();
    for (const row of rows) {
      const change: OpportunityChange = {
        opportunityId: row.opportunity_id,
        pipelineId: row.pipeline_id,
        name: row.name,
        stageId: row.stage_id,
        status: row.status,
        amountMinor: Number(row.amount_minor),
        currency: row.currency,
        ownerId: row.owner_id,
        position,
      };
      await this.pubSub.publish(OPPORTUNITY_CHANGED, { [OPPORTUNITY_CHANGED]: change });
      byPipeline.set(row.pipeline_id, [...(byPipeline.get(row.pipeline_id) ?? []), row.opportunity_id]);
    }
    for (const [pipelineId, opportunityIds] of byPipeline) {
      const change: PipelineChange = { pipelineId, opportunityIds, position };
      await this.pubSub.publish(PIPELINE_CHANGED, { [PIPELINE_CHANGED]: change });
    }
  }
}

/** The distinct values of one data field over a batch, in first-seen order. */
function idsOf(batch: readonly RecordedEnvelope[], field: string): string[] {
  const ids = new Set<string>();
  for (const event of batch) {
    const value = (event.data as Record<string, unknown> | null)?.[field];
    if (typeof value === 'string') ids.add(value);
  }
  return [...ids];
}

function commitPosition(position: Position): CommitPosition {
  return { commit: position.commit.toString(), prepare: position.prepare.toString() };
}
