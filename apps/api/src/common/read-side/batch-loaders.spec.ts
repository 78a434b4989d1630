import { loaderOfMany, loaderOfOne, perRequest } from './batch-loaders';

type Row = { id: string; parentId: string };

/** A read that records each batch it was asked for. */
function recordingRead(rows: readonly Row[], by: keyof Row) {
  const batches: string[][] = [];
  const read = async (ids: readonly string[]) => {
    batches.push([...ids]);
    return rows.filter((row) => ids.includes(row[by]));
  };
  return { read, batches };
}

describe('Batch loaders', () => {
  describe('of single rows', () => {
    it('read every id asked for in one tick in one batch, null for ids without a row', async () => {
      const { read, batches } = recordingRead([{ id: 'b', parentId: 'p' }, { id: 'a', parentId: 'p' }], 'id');
      const loader = loaderOfOne(read, (row) => row.id);

      const loaded = await Promise.all([loader.load('a'), loader.load('missing'), loader.load('b'), loader.load('a')]);

      expect(loaded).toEqual([{ id: 'a', parentId: 'p' }, null, { id: 'b', parentId: 'p' }, { id: 'a', parentId: 'p' }]);
      expect(batches).toEqual([['a', 'missing', 'b']]);
    });
  });

  describe('of row lists', () => {
    it('group the rows of one batch by parent, in the order read, empty for parents without rows', async () => {
      const rows = [
        { id: 'r1', parentId: 'p2' },
        { id: 'r2', parentId: 'p1' },
        { id: 'r3', parentId: 'p2' },
      ];
      const { read, batches } = recordingRead(rows, 'parentId');
      const loader = loaderOfMany(read, (row) => row.parentId);

      const loaded = await Promise.all([loader.load('p1'), loader.load('p2'), loader.load('p3')]);

      expect(loaded).toEqual([[rows[1]], [rows[0], rows[2]], []]);
      expect(batches).toEqual([['p1', 'p2', 'p3']]);
    });
  });

  describe('per request', () => {
    it('make one value for each request context, on its first use, and the same one after', () => {
      let made = 0;
      const loadersOf = perRequest(() => ({ serial: ++made }));
      const first = {};
      const second = {};

      expect(made).toBe(0);
      const ofFirst = loadersOf(first);
      expect(loadersOf(first)).toBe(ofFirst);
      const ofSecond = loadersOf(second);

      expect(ofFirst).toEqual({ serial: 1 });
      expect(ofSecond).toEqual({ serial: 2 });
      expect(loadersOf(second)).toBe(ofSecond);
      expect(made).toBe(2);
    });
  });
});
