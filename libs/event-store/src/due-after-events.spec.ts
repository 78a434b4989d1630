import { DueAfterEvents } from './due-after-events';

describe('DueAfterEvents', () => {
  it('holds each item until the events before it have been dealt with, in the order they came', () => {
    const markers = new DueAfterEvents<string>();
    markers.add(3, 'checkpoint at 3');
    markers.add(3, 'end of the log');
    markers.add(5, 'checkpoint at 5');
    expect(markers.due(2)).toBe(false);
    expect(markers.due(3)).toBe(true);
    expect(markers.take()).toBe('checkpoint at 3');
    expect(markers.take()).toBe('end of the log');
    expect(markers.due(4)).toBe(false);
    // Counted past its point (several events dealt with at once), an item is due all the same.
    expect(markers.due(9)).toBe(true);
    expect(markers.take()).toBe('checkpoint at 5');
    expect(markers.due(9)).toBe(false);
  });

  it('gives up every waiting item on drain, due or not, and has nothing to take afterwards', () => {
    const markers = new DueAfterEvents<number>();
    markers.add(1, 10);
    markers.add(7, 70);
    expect(markers.drain()).toEqual([10, 70]);
    expect(markers.due(100)).toBe(false);
    expect(() => markers.take()).toThrow(RangeError);
  });
});
