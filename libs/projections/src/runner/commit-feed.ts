import { Logger } from '@nestjs/common';
import { Client, type Notification } from 'pg';
import type { EventStore, Position, RecordedEnvelope } from '@revops/event-store';
import type { VersionKey } from './bookkeeping';
import { matcherOf } from './event-matcher';
import type { Projection } from './projection';
import type { ServingVersions } from './serving-versions';
import type { ProjectionSignals } from './signals';

/** The PostgreSQL channel runners announce their commits on. */
export const COMMITS_CHANNEL = 'revops_projection_commits';

/** What a runner announces about a committed batch: the range of `$all` it applied. */
export interface CommitAnnouncement extends VersionKey {
  /** The checkpoint before the batch (exclusive); null from the start of the log. */
  readonly from: { readonly commit: string; readonly prepare: string } | null;
  readonly to: { readonly commit: string; readonly prepare: string };
  readonly events: number;
}

/** The payload of `pg_notify` for a batch: positions only, well within NOTIFY's 8,000 bytes. */
export function announcement(key: VersionKey, from: Position | null, to: Position, events: number): string {
  const text = (position: Position) => ({ commit: position.commit.toString(), prepare: position.prepare.toString() });
  const notice: CommitAnnouncement = { name: key.name, version: key.version, from: from && text(from), to: text(to), events };
  return JSON.stringify(notice);
}

const RECONNECT_MS = 1_000;

/**
 * Brings the commits of the serving versions' runners in other processes (a separate
 * projector) into this process's signals, as if its own runners had committed: it LISTENs on the read store, and re-reads each
 * announced batch from the log through the projection's filter, so live updates and
 * read-your-writes waits work the same wherever the projections run. NOTIFY is delivered only
 * after the batch's transaction commits, so what a listener reads is already in the read model.
 */
export class CommitFeed {
  private readonly logger = new Logger('CommitFeed');
  private readonly projections: ReadonlyMap<string, Projection>;
  private client: Client | undefined;
  private pending: Promise<void> = Promise.resolve();
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly store: EventStore,
    projections: readonly Projection[],
    private readonly signals: ProjectionSignals,
    private readonly serving: ServingVersions,
  ) {
    this.projections = new Map(projections.map((projection) => [`${projection.name}@${projection.version}`, projection]));
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
    await this.pending;
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url });
    client.on('notification', (message) => this.received(message));
    client.on('error', (error) => this.lost(client, error));
    try {
      await client.connect();
      await client.query(`LISTEN ${COMMITS_CHANNEL}`);
      if (this.stopped) await client.end();
      else this.client = client;
    } catch (error) {
      this.lost(client, error);
    }
  }

  private lost(client: Client, error: unknown): void {
    if (this.client === client) this.client = undefined;
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    this.logger.warn(`listening for commits failed, trying again: ${String(error)}`);
    this.retry = setTimeout(() => void this.connect(), RECONNECT_MS);
  }

  private received(message: Notification): void {
    if (message.channel !== COMMITS_CHANNEL || !message.payload) return;
    const notice = JSON.parse(message.payload) as CommitAnnouncement;
    const projection = this.projections.get(`${notice.name}@${notice.version}`);
    if (!projection) return;
    // One after the other, so listeners see batches in commit order.
    this.pending = this.pending
      .then(() => this.relay(projection, notice))
      .catch((error: unknown) => this.logger.warn(`commit of ${notice.name} v${notice.version} not relayed: ${String(error)}`));
  }

  private async relay(projection: Projection, notice: CommitAnnouncement): Promise<void> {
    // A version being rebuilt serves no reader yet: re-reading each of its batches from the
    // log would only make every listening process follow the rebuild.
    const serving = await this.serving.resolve(notice.name).catch(() => undefined);
    if (serving?.version !== notice.version) return;
    const from = notice.from && { commit: BigInt(notice.from.commit), prepare: BigInt(notice.from.prepare) };
    const to = { commit: BigInt(notice.to.commit), prepare: BigInt(notice.to.prepare) };
    const consumes = matcherOf(projection.consumes);
    const batch: RecordedEnvelope[] = [];
    for await (const envelope of this.store.readAll({ from: from ?? 'start' })) {
      if (envelope.position.commit > to.commit) break;
      if (from && envelope.position.commit <= from.commit) continue;
      if (consumes(envelope.streamName, envelope.type)) batch.push(envelope);
    }
    this.signals.committed({ name: notice.name, version: notice.version, checkpoint: to, events: notice.events, batch });
  }
}
