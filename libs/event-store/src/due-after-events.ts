/**
 * What a subscription stream reports while events received before it may still wait in its
 * buffer (a checkpoint, the end of the log): each item falls due once those events have been
 * dealt with, counted the way its owner counts them.
 */
export class DueAfterEvents<T> {
  private readonly waiting: { after: number; item: T }[] = [];

  /** `item` falls due once `after` events have been dealt with. */
  add(after: number, item: T): void {
    this.waiting.push({ after, item });
  }

  /** Whether the next item is due once `count` events have been dealt with. */
  due(count: number): boolean {
    return this.waiting.length > 0 && this.waiting[0].after <= count;
  }

  /** The next item, taken off. Only when one is `due`. */
  take(): T {
    const next = this.waiting.shift();
    if (next === undefined) throw new RangeError('Nothing is waiting');
    return next.item;
  }

  /** Every waiting item, due or not, taken off. */
  drain(): T[] {
    return this.waiting.splice(0).map(({ item }) => item);
  }
}
