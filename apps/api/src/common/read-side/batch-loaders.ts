import DataLoader from 'dataloader';

/**
 * A loader of single rows by id: one `read` per batch for all the ids the batch collected,
 * null for ids with no row (a missing entity is an empty answer, not an error).
 */
export function loaderOfOne<Row>(read: (ids: readonly string[]) => Promise<Row[]>, idOf: (row: Row) => string): DataLoader<string, Row | null> {
  return new DataLoader(async (ids) => {
    const rows = new Map((await read(ids)).map((row) => [idOf(row), row]));
    return ids.map((id) => rows.get(id) ?? null);
  });
}

/** A loader of row lists by parent id, keeping the order `read` returned them in. */
export function loaderOfMany<Row>(read: (ids: readonly string[]) => Promise<Row[]>, parentOf: (row: Row) => string): DataLoader<string, Row[]> {
  return new DataLoader(async (ids) => {
    const groups = new Map<string, Row[]>();
    for (const row of await read(ids)) {
      const parent = parentOf(row);
      const group = groups.get(parent);
      if (group) group.push(row);
      else groups.set(parent, [row]);
    }
    return ids.map((id) => groups.get(id) ?? []);
  });
}
