import type { MessagePort } from 'node:worker_threads';
import { EventStoreDBClient, START, type AllStreamResolvedEvent } from '@eventstore/db-client';
import type { Position } from './envelope';
import { DueAfterEvents } from './due-after-events';
import { fromClientError, isTransientStoreError } from './errors';
import { packEnvelope, storedEnvelope, type PackedEnvelope } from './serialization';
import { widenReceiveWindow } from './receive-window';
import { toServerFilter, type SubscriptionFilter } from './subscription-filter';

/** What the reading thread is started with. */
export interface ReaderSettings {
  connectionString: string;
  from: Position | 'start';
  filter: SubscriptionFilter | undefined;
  checkpointInterval: number;
  /** Events per message at most. */
  batchSize: number;
  /** Events that may be sent ahead of what the other side has taken. */
  window: number;
  /**
   * How long a batch that is not full may wait for more events, from the first time the thread
   * found nothing more to read for it, while the other side still has events it was sent. The
   * client hands over its events one at a time as they come off the wire, so without it most
   * messages would carry one event: a message per event costs the other side far more than
   * the events themselves.
   */
  lingerMs: number;
}

/** From the reading thread, in the order the subscription delivered them. Events come with `data` as stored. */
export type ReaderMessage =
  | { kind: 'events'; events: PackedEnvelope[] }
  | { kind: 'checkpoint'; position: Position }
  | { kind: 'caughtUp' }
  | { kind: 'confirmation' }
  | { kind: 'end' }
  | { kind: 'failed'; message: string; transient: boolean };

/** To the reading thread. */
export type ReaderControl = { kind: 'taken'; count: number } | { kind: 'stop' };

/**
 * Runs one catch-up subscription to `$all` on its own client and sends what it delivers
 * through `port`: events in batches, each checkpoint and the end of the log right after the
 * events before it. Reads no further ahead than `window` events the other side has not yet
 * taken, so a slow consumer slows the read, as with a subscription of its own.
 */
export function readAll(port: MessagePort, settings: ReaderSettings): void {
  widenReceiveWindow();
  const client = EventStoreDBClient.connectionString(settings.connectionString);
  const markers = new DueAfterEvents<ReaderMessage>();
  /** Records taken from the client, events read for sending (the batch not yet posted among them), and those the other side took. */
  let consumed = 0;
  let sent = 0;
  let taken = 0;
  let ended = false;
  let stopping = false;
  let failure: unknown;
  let batch: PackedEnvelope[] = [];
  /**
   * One timer a batch, set the first time the batch waits and cleared when it goes: the client
   * hands over a few events at a time, and a timer set and cleared at each of those turns cost
   * the thread 2.5 s of its 59 over a rebuild's 1,000,000 events (on a slow host); one a batch,
   * under 0.1 s.
   */
  let lingering: NodeJS.Timeout | undefined;
  let lingerOver = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const waiter = wake;
    wake = undefined;
    waiter?.();
  };
  // The client reports a checkpoint or the end of the log from inside its buffer's transform,
  // while events before it may still sit unread there: the count says when it is due.
  const mark = (message: ReaderMessage) => {
    markers.add(consumed + subscription.readableLength, message);
    notify();
  };
  const subscription = client.subscribeToAll({
    fromPosition: settings.from === 'start' ? START : settings.from,
    filter: toServerFilter(settings.filter, settings.checkpointInterval, (_, position) => mark({ kind: 'checkpoint', position })),
  });
  subscription.on('readable', notify);
  subscription.on('end', () => {
    ended = true;
    notify();
  });
  subscription.on('close', () => {
    ended = true;
    notify();
  });
  subscription.on('error', (error: unknown) => {
    failure ??= error;
    notify();
  });
  subscription.on('confirmation', () => port.postMessage({ kind: 'confirmation' } satisfies ReaderMessage));
  subscription.on('caughtUp', () => mark({ kind: 'caughtUp' }));
  port.on('message', (control: ReaderControl) => {
    if (control.kind === 'stop') stopping = true;
    else taken = control.count;
    notify();
  });

  const flush = () => {
    clearTimeout(lingering);
    lingering = undefined;
    lingerOver = false;
    if (batch.length === 0) return;
    port.postMessage({ kind: 'events', events: batch } satisfies ReaderMessage);
    batch = [];
  };
  const linger = () => {
    lingering ??= setTimeout(() => {
      lingerOver = true;
      notify();
    }, settings.lingerMs);
  };
  /** Waits for more to read, a control message, a failure or the end of the batch's linger. */
  const nextTurn = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
    });

  const pump = async () => {
    for (;;) {
      if (stopping) return;
      while (markers.due(consumed)) {
        flush();
        port.postMessage(markers.take());
      }
      if (failure !== undefined) {
        flush();
        const translated = fromClientError(failure);
        const message = translated instanceof Error ? translated.message : String(translated);
        port.postMessage({ kind: 'failed', message, transient: isTransientStoreError(translated) } satisfies ReaderMessage);
        return;
      }
      if (sent - taken < settings.window) {
        const item = subscription.read() as AllStreamResolvedEvent | null;
        if (item !== null) {
          consumed++;
          if (item.event === undefined) continue;
          sent++;
          batch.push(packEnvelope(storedEnvelope(item.event, item.commitPosition)));
          if (batch.length >= settings.batchSize) flush();
          continue;
        }
        if (ended) {
          flush();
          port.postMessage({ kind: 'end' } satisfies ReaderMessage);
          return;
        }
        // The other side has taken all it was sent: it waits, so it gets what there is now.
        // So does a batch that has waited its linger. Otherwise the batch waits a little for
        // the events still on their way.
        if (taken >= sent - batch.length || lingerOver) flush();
        if (batch.length > 0) {
          linger();
          await nextTurn();
          continue;
        }
      } else {
        flush();
      }
      await nextTurn();
    }
  };

  void pump().finally(async () => {
    clearTimeout(lingering);
    subscription.removeAllListeners('error');
    subscription.on('error', () => undefined);
    await subscription.unsubscribe().catch(() => undefined);
    subscription.destroy();
    await client.dispose().catch(() => undefined);
    port.close();
  });
}
