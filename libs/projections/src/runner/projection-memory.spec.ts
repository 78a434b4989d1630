import { boundedMemory } from './projection-memory';

describe('boundedMemory', () => {
  it('gives back what was kept under a key, the latest for a key kept twice', () => {
    const memory = boundedMemory(10);
    memory.keep('a', { n: 1 });
    memory.keep('a', { n: 2 });
    memory.keep('b', { n: 3 });

    expect(memory.get('a')).toEqual({ n: 2 });
    expect(memory.get('b')).toEqual({ n: 3 });
    expect(memory.get('c')).toBeUndefined();
  });

  it('lets the row least recently kept or read go first once it holds its bound', () => {
    const memory = boundedMemory(2);
    memory.keep('a', { n: 1 });
    memory.keep('b', { n: 2 });
    memory.get('a');
    memory.keep('c', { n: 3 });

    expect(memory.get('b')).toBeUndefined();
    expect(memory.get('a')).toEqual({ n: 1 });
    expect(memory.get('c')).toEqual({ n: 3 });
  });

  it('forgets everything at once', () => {
    const memory = boundedMemory(10);
    memory.keep('a', { n: 1 });
    memory.forget();

    expect(memory.get('a')).toBeUndefined();
  });

  it('keeps nothing with a bound of 0, and refuses a bound that is not a count', () => {
    const memory = boundedMemory(0);
    memory.keep('a', { n: 1 });

    expect(memory.get('a')).toBeUndefined();
    expect(() => boundedMemory(-1)).toThrow('memoryRows must be a non-negative integer, not -1');
    expect(() => boundedMemory(1.5)).toThrow('memoryRows must be a non-negative integer, not 1.5');
  });
});
