import type { HandleResult } from '@revops/event-store';
import { writeResultOf, type WriteResult } from '../../common/write-result';

export type OpportunityWriteResult = WriteResult & { readonly opportunityId: string };

export function opportunityWritten(opportunityId: string, result: HandleResult<unknown>): OpportunityWriteResult {
  return { opportunityId, ...writeResultOf(result) };
}
