import { comparePositions, type Position, type RecordedEnvelope } from './envelope';
import { requireInteger } from './settings';
import type { AllSubscription, SubscribeToAllOptions } from './subscription';
import { eventMatcher, type SubscriptionFilter } from './subscription-filter';

/** What a consumer holds of a subscription it got from a feed. */
export interface FeedSubscription {
  /** Settles when the subscription ends: resolves after stop(), rejects when it fails. */
  readonly closed: Promise<void>;
  /** Lets a handler in progress finish, then lets go. Resolves once nothing runs for this consumer any more. */
  stop(): Promise<void>;
}

/** Anything that hands out catch-up subscriptions to `$all`: the store itself, or a SharedCatchUp over it. */
export interface AllFeed {
  subscribeToAll(options: SubscribeToAllOptions): FeedSubscription;
}

export interface SharedCatchUpSettings {
  /** How long a new read waits for other consumers starting at the same position before it opens. */
  gatherMs: number;
  /**
   * How many consumers are started together, when the caller knows: a read that gathers that
   * many opens then and there instead of waiting out `gatherMs` (a quarter of a second in
   * which nothing is read). 0 when not known.
   */
  consumers: number;
  /**
   * How far behind a read (in events it has handed over) a consumer arriving late may start
   * and still join it: the read reads the events in between from the store for it, then
   * takes it along. Further behind, the consumer gets a read of its own.
   */
  joinWithinEvents: number;
  /** A consumer whose filter has dropped this many events in a row is given a checkpoint. */
  checkpointEvery: number;
  /**
   * Receive and decode the shared read's events on a worker thread, so that the consumers'
   * thread spends its time on their work (see `SubscribeToAllOptions.readOffThread`).
   */
  readOffThread: boolean;
}

export const DEFAULT_SHARED_CATCH_UP: SharedCatchUpSettings = {
  gatherMs: 250,
  consumers: 0,
  joinWithinEvents: 20_000,
  checkpointEvery: 1_000,
  readOffThread: true,
};

type From = Position | 'start';

/** Events the store considers per unit of `checkpointInterval`. */
const SERVER_SEARCH_WINDOW = 32;

/** The store, as far as a SharedCatchUp needs it. */
export interface SubscriptionSource {
  subscribeToAll(options: SubscribeToAllOptions): AllSubscription;
  /** Events at or after `from` in `$all` order, upcast as subscriptions hand them over; ended early by breaking out. */
  readAll(options: { from: Position | 'start' }): AsyncIterable<RecordedEnvelope>;
}

/** Positions a SharedRead notes, evenly spread over the last `joinWithinEvents` events it handed over. */
const JOIN_MARKS = 16;

/**
 * Lets consumers that catch up over the same part of `$all` share one read of it: the store
 * sends, and the client decodes, each event once, and every consumer gets the events its own
 * filter passes, in order, as from a subscription of its own. Consumers starting at the same
 * place within `gatherMs` of each other share from the start; one arriving later joins a read
 * that has not passed its position by more than about `joinWithinEvents` events, once it has
 * been handed those, read again from the store. A shared read goes at the pace of its slowest
 * consumer.
 *
 * Sharing ends where catching up ends: once a shared read reaches the end of `$all`, each of
 * its consumers goes on with a subscription of its own from there, so that following the log
 * live, no consumer waits on another. Subscriptions from 'end', without upcasting or with
 * their own checkpoint interval are not shared.
 */
export class SharedCatchUp implements AllFeed {
  private readonly reads = new Set<SharedRead>();
  private readonly settings: SharedCatchUpSettings;

  constructor(
    private readonly store: SubscriptionSource,
    settings: Partial<SharedCatchUpSettings> = {},
  ) {
    // A setting given as undefined keeps its default.
    const given = Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
    this.settings = { ...DEFAULT_SHARED_CATCH_UP, ...given };
    const { gatherMs, consumers, joinWithinEvents, checkpointEvery } = this.settings;
    requireInteger(gatherMs, 'gatherMs', 0);
    requireInteger(consumers, 'consumers', 0);
    requireInteger(joinWithinEvents, 'joinWithinEvents', 1);
    requireInteger(checkpointEvery, 'checkpointEvery', 1);
  }

  /** Shared reads open now (gathering or reading): for status and tests. */
  get openReads(): number {
    return this.reads.size;
  }

  subscribeToAll(options: SubscribeToAllOptions): FeedSubscription {
    const { from } = options;
    if (from === 'end' || options.upcast === false || options.checkpointInterval !== undefined) return this.store.subscribeToAll(options);
    const member = new Member({ ...options, from }, (subscribe) => this.store.subscribeToAll(subscribe));
    let read = [...this.reads].find((candidate) => candidate.canTake(member));
    if (read === undefined) {
      read = new SharedRead(from, this.store, this.settings, (ended) => this.reads.delete(ended));
      this.reads.add(read);
    }
    read.take(member);
    return member;
  }
}

type MemberOptions = SubscribeToAllOptions & { from: From };

/** One consumer: first fed by a shared read, then by a subscription of its own. */
class Member implements FeedSubscription {
  readonly closed: Promise<void>;
  readonly matches: (streamName: string, type: string) => boolean;
  /** The last position handed to the consumer (an event or a checkpoint), or where it started. */
  delivered: From;
  /** Events dropped by the filter since the last position handed over. */
  private dropped = 0;
  private read: SharedRead | undefined;
  private own: AllSubscription | undefined;
  private stopping = false;
  private settle!: { resolve(): void; reject(error: Error): void };
  private settled = false;

  constructor(
    readonly options: MemberOptions,
    private readonly subscribe: (options: SubscribeToAllOptions) => AllSubscription,
  ) {
    this.matches = eventMatcher(options.filter);
    this.delivered = options.from;
    this.closed = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
    // Observed here so an unobserved failure does not crash the process; awaiting `closed` still rejects.
    this.closed.catch(() => undefined);
  }

  get active(): boolean {
    return !this.stopping && !this.settled;
  }

  joined(read: SharedRead): void {
    this.read = read;
  }

  /**
   * Hands over one event the shared read brought, or counts it as dropped: a promise while
   * the consumer is still at work on it, nothing when it is done.
   */
  offer(event: RecordedEnvelope, checkpointEvery: number): Promise<void> | undefined {
    if (!this.active || !isAfter(event.position, this.delivered)) return undefined;
    if (!this.matches(event.streamName, event.type)) {
      return ++this.dropped >= checkpointEvery ? this.checkpoint(event.position) : undefined;
    }
    let handling: void | Promise<void>;
    try {
      handling = this.options.handle(event);
    } catch (error) {
      this.fail(asError(error));
      return undefined;
    }
    if (handling === undefined) {
      this.handed(event.position);
      return undefined;
    }
    return handling.then(
      () => this.handed(event.position),
      (error: unknown) => this.fail(asError(error)),
    );
  }

  private handed(position: Position): void {
    this.delivered = position;
    this.dropped = 0;
  }

  /** Every event up to `position` that the filter passes has been handed over. */
  async checkpoint(position: Position): Promise<void> {
    if (!this.active || !isAfter(position, this.delivered)) return;
    try {
      await this.options.onCheckpoint?.(position);
      this.delivered = position;
      this.dropped = 0;
    } catch (error) {
      this.fail(asError(error));
    }
  }

  /** The shared read reached the end of `$all` at `at`: from here on, a subscription of its own. */
  async goOwnWay(at: From): Promise<void> {
    this.read = undefined;
    if (at !== 'start') await this.checkpoint(at);
    if (!this.active) return;
    const { onCheckpoint } = this.options;
    this.own = this.subscribe({
      ...this.options,
      from: this.delivered,
      // Reported once, by fail(), which `closed` rejecting below leads to.
      onError: undefined,
      // The new subscription's first checkpoint may repeat the one handed over here.
      onCheckpoint: (position) => {
        if (!isAfter(position, this.delivered)) return;
        this.delivered = position;
        return onCheckpoint?.(position);
      },
    });
    this.own.closed.then(
      () => undefined,
      (error: unknown) => this.fail(asError(error)),
    );
  }

  fail(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.read?.leave(this);
    this.read = undefined;
    try {
      this.options.onError?.(error);
    } finally {
      this.settle.reject(error);
    }
  }

  async stop(): Promise<void> {
    if (this.stopping) return this.closed.catch(() => undefined);
    this.stopping = true;
    const read = this.read;
    this.read = undefined;
    await Promise.all([read?.leave(this), this.own?.stop()]);
    if (!this.settled) {
      this.settled = true;
      this.settle.resolve();
    }
  }
}

type ReadState = 'gathering' | 'reading' | 'ended';

/** One subscription of the store whose events go to every member. */
class SharedRead {
  private state: ReadState = 'gathering';
  /**
   * Replaced, never changed in place: a hand-over walks the array it started with, whoever
   * joins or leaves meanwhile, without copying it for every event.
   */
  private members: readonly Member[] = [];
  /** Members that arrived after the read opened, admitted before its next event. */
  private readonly arriving: Member[] = [];
  private filter: SubscriptionFilter | undefined;
  /**
   * The oldest position a member arriving late may start from: about `joinWithinEvents`
   * events back, moved on by the positions noted every `markEvery` events (`marks`). Only
   * positions are kept: events kept for late members, all of them, lived on through the
   * collector's copies of the young generation and into the old one.
   */
  private floor: From;
  private readonly marks: Position[] = [];
  private readonly markEvery: number;
  private handed = 0;
  /** The last position this read handed over: an event or a checkpoint. */
  private last: From;
  private source: AllSubscription | undefined;
  private gatherTimer: NodeJS.Timeout | undefined;
  private readonly gatherDeadline: number;
  private stopped: Promise<void> | undefined;

  constructor(
    private readonly from: From,
    private readonly store: SubscriptionSource,
    private readonly settings: SharedCatchUpSettings,
    private readonly onEnded: (read: SharedRead) => void,
  ) {
    this.floor = from;
    this.last = from;
    this.markEvery = Math.max(1, Math.ceil(settings.joinWithinEvents / JOIN_MARKS));
    this.gatherDeadline = Date.now() + 4 * settings.gatherMs;
  }

  /**
   * While gathering: a member starting at the same place. While reading: a member whose
   * events this read brings (its filter within the read's) and whose position lies between
   * the floor and the last handed over.
   */
  canTake(member: Member): boolean {
    const { from, filter } = member.options;
    if (this.state === 'gathering') return samePlace(from, this.from);
    if (this.state !== 'reading' || !covers(this.filter, filter)) return false;
    return !isAfter(this.floor, from) && !isAfter(from, this.last);
  }

  take(member: Member): void {
    member.joined(this);
    if (this.state === 'gathering') {
      this.members = [...this.members, member];
      clearTimeout(this.gatherTimer);
      if (this.members.length === this.settings.consumers) {
        this.open();
        return;
      }
      // Each arrival waits a little longer for the next, up to a bound.
      const wait = Math.max(0, Math.min(this.settings.gatherMs, this.gatherDeadline - Date.now()));
      this.gatherTimer = setTimeout(() => this.open(), wait);
      return;
    }
    this.arriving.push(member);
  }

  async leave(member: Member): Promise<void> {
    this.members = this.members.filter((other) => other !== member);
    remove(this.arriving, member);
    if (this.members.length > 0 || this.arriving.length > 0 || this.state === 'ended') return this.stopped;
    this.end();
    return this.stopped;
  }

  private open(): void {
    this.gatherTimer = undefined;
    if (this.state !== 'gathering' || this.members.length === 0) return;
    this.state = 'reading';
    this.filter = unionFilter(this.members.map((member) => member.options.filter));
    const first = this.members[0].options;
    const source = this.store.subscribeToAll({
      from: this.from,
      filter: this.filter,
      // The store's checkpoints at about the pace a member gets one for events it drops: at
      // its default (one per 32 events considered) every member's queue and batch loop turned
      // over some 30,000 times a million events for nothing.
      checkpointInterval: Math.max(1, Math.ceil(this.settings.checkpointEvery / SERVER_SEARCH_WINDOW)),
      reconnect: first.reconnect,
      readOffThread: this.settings.readOffThread,
      handle: (event) => this.handOver(event),
      onCheckpoint: (position) => this.checkpoint(position),
      onCaughtUp: (position) => this.caughtUp(position),
      onReconnecting: (info) => {
        for (const member of this.members) member.options.onReconnecting?.(info);
      },
    });
    this.source = source;
    source.closed.then(
      () => undefined,
      (error: unknown) => {
        const failed = asError(error);
        for (const member of [...this.members, ...this.arriving]) member.fail(failed);
        this.end();
      },
    );
  }

  /** Every member's turn at one event, one after the other; a promise only while one of them is at work. */
  private handOver(event: RecordedEnvelope): Promise<void> | undefined {
    if (this.arriving.length > 0) return this.admitArriving().then(() => this.handOver(event));
    this.mark(event.position);
    this.last = event.position;
    const { members } = this;
    for (let index = 0; index < members.length; index++) {
      const handling = members[index].offer(event, this.settings.checkpointEvery);
      if (handling !== undefined) return handling.then(() => offerEach(members, index + 1, event, this.settings.checkpointEvery));
    }
    return undefined;
  }

  private async checkpoint(position: Position): Promise<void> {
    await this.admitArriving();
    if (isAfter(position, this.last)) this.last = position;
    for (const member of this.members) await member.checkpoint(position);
  }

  /** The end of `$all`: every member goes on alone from where this read got to. */
  private async caughtUp(position: Position | null): Promise<void> {
    await this.admitArriving();
    if (position !== null && isAfter(position, this.last)) this.last = position;
    const { members } = this;
    this.members = [];
    this.end();
    for (const member of members) await member.goOwnWay(this.last);
  }

  /**
   * Members that arrived while reading: first the events between their position and this
   * read's, read again from the store (the read waits meanwhile), then along with the rest.
   * A member whose events cannot be read again goes on with a subscription of its own.
   */
  private async admitArriving(): Promise<void> {
    while (this.arriving.length > 0) {
      const member = this.arriving.shift() as Member;
      try {
        await this.bridge(member);
      } catch {
        await member.goOwnWay(member.delivered);
        continue;
      }
      if (!member.active) continue;
      if (this.last !== 'start') await member.checkpoint(this.last);
      this.members = [...this.members, member];
    }
  }

  /** Hands `member` the events after its position up to the last this read handed over. */
  private async bridge(member: Member): Promise<void> {
    if (!isAfter(this.last, member.delivered)) return;
    for await (const event of this.store.readAll({ from: member.delivered })) {
      if (!member.active || isAfter(event.position, this.last)) return;
      await member.offer(event, this.settings.checkpointEvery);
    }
  }

  /** Notes every `markEvery`-th position; the floor follows the oldest of the last JOIN_MARKS. */
  private mark(position: Position): void {
    if (++this.handed % this.markEvery !== 0) return;
    this.marks.push(position);
    if (this.marks.length > JOIN_MARKS) this.floor = this.marks.shift() as Position;
  }

  private end(): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    clearTimeout(this.gatherTimer);
    this.marks.length = 0;
    this.onEnded(this);
    // Not awaited from inside the source's own callbacks, which stop() would wait for.
    this.stopped = this.source?.stop();
  }
}

/**
 * One filter passing every event any of `filters` passes: the stream-name prefixes of all
 * when each filter is stream-name prefixes only, otherwise none (every non-system event).
 */
export function unionFilter(filters: ReadonlyArray<SubscriptionFilter | undefined>): SubscriptionFilter | undefined {
  if (!filters.every(prefixesOnly)) return undefined;
  const prefixes = [...new Set(filters.flatMap((filter) => filter?.streamNamePrefixes ?? []))];
  return { streamNamePrefixes: prefixes };
}

/** Whether everything `filter` passes also passes `outer`. */
export function covers(outer: SubscriptionFilter | undefined, filter: SubscriptionFilter | undefined): boolean {
  if (outer === undefined) return true;
  // Conditions besides the stream-name prefixes only narrow a filter further.
  const own = filter?.streamNamePrefixes ?? [];
  const prefixes = outer.streamNamePrefixes ?? [];
  return own.length > 0 && own.every((prefix) => prefixes.some((outerPrefix) => prefix.startsWith(outerPrefix)));
}

function prefixesOnly(filter: SubscriptionFilter | undefined): boolean {
  return (
    filter !== undefined &&
    (filter.streamNamePrefixes?.length ?? 0) > 0 &&
    (filter.eventTypePrefixes?.length ?? 0) === 0 &&
    filter.streamNameRegex === undefined
  );
}

async function offerEach(members: readonly Member[], first: number, event: RecordedEnvelope, checkpointEvery: number): Promise<void> {
  for (let index = first; index < members.length; index++) await members[index].offer(event, checkpointEvery);
}

function isAfter(a: From, b: From): boolean {
  if (a === 'start') return false;
  return b === 'start' || comparePositions(a, b) > 0;
}

function samePlace(a: From, b: From): boolean {
  return !isAfter(a, b) && !isAfter(b, a);
}

function remove<T>(items: T[], item: T): void {
  const index = items.indexOf(item);
  if (index >= 0) items.splice(index, 1);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
