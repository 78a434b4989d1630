import type { HandleResult } from '@revops/event-store';
import { writeResultOf, type WriteResult } from '../../common/write-result';

export type AccountWriteResult = WriteResult & { readonly accountId: string };

export function accountWritten(accountId: string, result: HandleResult<unknown>): AccountWriteResult {
  return { accountId, ...writeResultOf(result) };
}
