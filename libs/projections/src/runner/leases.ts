import { createHash } from 'node:crypto';
import { Client } from 'pg';

/** The right to run one projection version. */
export interface Lease {
  /**
   * The lease ended without a release (its session dropped). A runner checks it between
   * batches; until it notices, the compare-and-set on its checkpoint fences it off.
   */
  readonly isLost: boolean;
  release(): Promise<void>;
}

export interface LeaseProvider {
  /**
   * Waits, trying every `retryMs`, until this process holds the lease on (name, version);
   * resolves undefined if `signal` aborts first.
   */
  acquire(name: string, version: number, retryMs: number, signal: AbortSignal): Promise<Lease | undefined>;
  close(): Promise<void>;
}

/** The advisory-lock key of a projection version: 64 bits of a hash of its name and version. */
export function leaseKey(name: string, version: number): string {
  return createHash('sha256').update(`revops-projection:${name}:${version}`).digest().readBigInt64BE(0).toString();
}

/**
 * Session-level advisory locks, held on one dedicated connection outside the pool: the lock
 * lives exactly as long as that session, so a projector that dies or is cut off from
 * PostgreSQL loses its leases and another one takes over. The batch transactions run on
 * pooled connections and cannot check the lock themselves; the compare-and-set on the
 * checkpoint row is what stops a runner that lost its lease without noticing.
 */
export class PostgresAdvisoryLeases implements LeaseProvider {
  private session: Promise<Client> | undefined;
  private readonly held = new Map<string, { key: string; session: Promise<Client>; markLost: () => void }>();
  private readonly trying = new Set<string>();
  private closed = false;
  /** The lease session's statements, one at a time: runners take and release leases concurrently. */
  private statements: Promise<unknown> = Promise.resolve();

  constructor(private readonly url: string) {}

  async acquire(name: string, version: number, retryMs: number, signal: AbortSignal): Promise<Lease | undefined> {
    const key = leaseKey(name, version);
    const id = `${name}@${version}`;
    while (!signal.aborted && !this.closed) {
      // Advisory locks are re-entrant within a session, so the session alone would grant a
      // second runner of this process the same lease.
      let attempt: { granted: boolean; session: Promise<Client> } | undefined;
      if (!this.held.has(id) && !this.trying.has(id)) {
        this.trying.add(id);
        attempt = await this.tryLock(key)
          .catch(() => undefined)
          .finally(() => this.trying.delete(id));
      }
      if (attempt?.granted) {
        const { session } = attempt;
        let isLost = false;
        const markLost = () => {
          isLost = true;
        };
        this.held.set(id, { key, session, markLost });
        if (this.session !== session) markLost();
        return {
          get isLost() {
            return isLost;
          },
          release: async () => {
            if (this.held.get(id)?.key !== key) return;
            this.held.delete(id);
            if (isLost) return;
            const client = await session.catch(() => undefined);
            if (client) await this.serially(() => client.query('SELECT pg_advisory_unlock($1::bigint)', [key])).catch(() => undefined);
          },
        };
      }
      await abortableSleep(retryMs, signal);
    }
    return undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    const session = this.session;
    this.session = undefined;
    const client = await session?.catch(() => undefined);
    await client?.end().catch(() => undefined);
  }

  private async tryLock(key: string): Promise<{ granted: boolean; session: Promise<Client> }> {
    const session = this.connect();
    const client = await session;
    const { rows } = await this.serially(() => client.query<{ granted: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS granted', [key]));
    return { granted: rows[0]?.granted === true, session };
  }

  private serially<T>(statement: () => Promise<T>): Promise<T> {
    const result = this.statements.then(statement, statement);
    this.statements = result.catch(() => undefined);
    return result;
  }

  private connect(): Promise<Client> {
    if (this.session) return this.session;
    const client = new Client({ connectionString: this.url, application_name: 'revops-projection-leases', keepAlive: true });
    const session = client.connect().then(() => client);
    // A dropped session has released every lock it held on the server side.
    const ended = () => {
      if (this.session === session) this.session = undefined;
      for (const [id, lease] of this.held) {
        if (lease.session !== session) continue;
        this.held.delete(id);
        lease.markLost();
      }
    };
    client.on('error', ended);
    client.on('end', ended);
    session.catch(ended);
    this.session = session;
    return session;
  }
}

const inProcessHolders = new Set<string>();

/**
 * For embedded PostgreSQL: PGlite is a single session shared by every connection, so an
 * advisory lock would be granted to everyone. Its data directory admits one process anyway,
 * so excluding other runners of this process is all a lease has to do there.
 */
export class InProcessLeases implements LeaseProvider {
  async acquire(name: string, version: number, retryMs: number, signal: AbortSignal): Promise<Lease | undefined> {
    const id = `${name}@${version}`;
    while (!signal.aborted) {
      if (!inProcessHolders.has(id)) {
        inProcessHolders.add(id);
        let released = false;
        return {
          isLost: false,
          release: async () => {
            if (released) return;
            released = true;
            inProcessHolders.delete(id);
          },
        };
      }
      await abortableSleep(retryMs, signal);
    }
    return undefined;
  }

  async close(): Promise<void> {}
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
