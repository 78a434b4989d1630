import { EventIdIndex } from './event-id-index';
import { parseUuid } from './uuid';

const idOf = (index: number) => parseUuid(`00000000-0000-4000-8000-${String(index).padStart(12, '0')}`)!;

describe('the event id index', () => {
  it('finds ids across many resizes and misses unknown ones', () => {
    const ids: Buffer[] = [];
    const index = new EventIdIndex((logIndex) => ids[logIndex]);
    for (let logIndex = 0; logIndex < 20_000; logIndex += 1) {
      ids.push(idOf(logIndex));
      index.add(ids[logIndex], logIndex);
    }
    expect(index.find(idOf(0))).toBe(0);
    expect(index.find(idOf(12_345))).toBe(12_345);
    expect(index.find(idOf(19_999))).toBe(19_999);
    expect(index.find(idOf(20_000))).toBe(-1);
  });

  it('returns the latest log index of an id written twice', () => {
    const ids = [idOf(1), idOf(2), idOf(1)];
    const index = new EventIdIndex((logIndex) => ids[logIndex]);
    ids.forEach((id, logIndex) => index.add(id, logIndex));
    expect(index.find(idOf(1))).toBe(2);
  });
});
