import { DataSource } from 'typeorm';
import type { RunningApi } from '../../apps/api/src/bootstrap';

/** What `work` answers, and the statements (with their parameters) the api's read store ran meanwhile. */
export async function readStoreStatementsDuring<T>(api: RunningApi, work: () => Promise<T>): Promise<{ answer: T; calls: Parameters<DataSource['query']>[] }> {
  const spy = jest.spyOn(api.app.get(DataSource), 'query');
  try {
    const answer = await work();
    return { answer, calls: [...spy.mock.calls] };
  } finally {
    spy.mockRestore();
  }
}
