import { LRUCache } from 'lru-cache';
import { NO_MEMORY, type ProjectionMemory } from './projection';

/** A ProjectionMemory its runner can empty at once. */
export interface ForgettingMemory extends ProjectionMemory {
  forget(): void;
}

/** A memory of at most `rows` rows, the one least recently kept or read going first; 0 keeps nothing. */
export function boundedMemory(rows: number): ForgettingMemory {
  if (!Number.isInteger(rows) || rows < 0) throw new RangeError(`memoryRows must be a non-negative integer, not ${rows}`);
  if (rows === 0) return { ...NO_MEMORY, forget: () => undefined };
  const cache = new LRUCache<string, object>({ max: rows });
  return {
    get: <T extends object>(key: string) => cache.get(key) as T | undefined,
    keep: (key, value) => {
      cache.set(key, value);
    },
    forget: () => cache.clear(),
  };
}
