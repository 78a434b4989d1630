import type { PGlite } from '@electric-sql/pglite';

/** What a pglite-socket connection handler asks of the queue it hands its messages to. */
export interface SessionQueue {
  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number>;
  clearQueueForHandler(handlerId: number): void;
  clearTransactionIfNeeded(handlerId: number): Promise<void>;
  getQueueLength(): number;
}

interface Message {
  readonly handlerId: number;
  readonly bytes: Uint8Array;
  readonly onData: (data: Uint8Array) => void;
  readonly resolve: (bytes: number) => void;
  readonly reject: (error: Error) => void;
}

// Frontend message types that end a round of the protocol: after them the backend has
// answered ReadyForQuery, and only an open transaction still binds the session to one client.
const SYNC = 0x53; // 'S'
const SIMPLE_QUERY = 0x51; // 'Q'

/**
 * Shares PGlite's one backend session among several client connections.
 *
 * pglite-socket's own queue interleaves connections message by message. An extended-protocol
 * query is several messages (Parse, Bind, Describe, Execute, Sync) that use the session's
 * unnamed statement and portal, so a second client's Parse between another's Bind and
 * Execute replaces them ("portal does not exist", "unnamed prepared statement does not
 * exist"), and any pool of more than one connection fails at random.
 *
 * Here a connection that starts a round keeps the session until the round ends, and keeps
 * it past the round while its transaction is open; the others' messages wait. A connection
 * that goes away while holding the session has its transaction rolled back.
 */
export class EmbeddedSession implements SessionQueue {
  private readonly waiting: Message[] = [];
  /** The connection the session belongs to until its round or transaction ends. */
  private holder: number | null = null;
  private running: number | null = null;
  private readonly gone = new Set<number>();
  private draining = false;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, bytes: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ handlerId, bytes, onData, resolve, reject });
      void this.drain();
    });
  }

  clearQueueForHandler(handlerId: number): void {
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const message = this.waiting[i];
      if (message.handlerId !== handlerId) continue;
      this.waiting.splice(i, 1);
      message.reject(new Error('Connection closed'));
    }
  }

  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.holder !== handlerId && this.running !== handlerId) return;
    this.gone.add(handlerId);
    await this.drain();
  }

  getQueueLength(): number {
    return this.waiting.length;
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (;;) {
        if (this.holder !== null && this.gone.delete(this.holder)) await this.rollBack();
        const next = this.holder === null ? 0 : this.waiting.findIndex((message) => message.handlerId === this.holder);
        if (next < 0 || next >= this.waiting.length) return;
        const [message] = this.waiting.splice(next, 1);
        await this.run(message);
      }
    } finally {
      this.draining = false;
    }
  }

  private async run(message: Message): Promise<void> {
    let written = 0;
    this.running = message.handlerId;
    try {
      await this.db.runExclusive(() =>
        this.db.execProtocolRawStream(message.bytes, {
          onRawData: (data) => {
            written += data.length;
            message.onData(data);
          },
        }),
      );
      message.resolve(written);
    } catch (error) {
      message.reject(error instanceof Error ? error : new Error(String(error)));
    } finally {
      const type = message.bytes[0];
      const roundEnded = type === SYNC || type === SIMPLE_QUERY || message.bytes.length === 0 || type === 0;
      this.holder = roundEnded && !this.db.isInTransaction() ? null : message.handlerId;
      this.running = null;
      if (this.holder === null) this.gone.delete(message.handlerId);
    }
  }

  /** Ends what a departed holder left open, so the next connection starts on a clean session. */
  private async rollBack(): Promise<void> {
    this.holder = null;
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK').catch(() => undefined);
  }
}
