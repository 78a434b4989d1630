import type { HandleResult } from '@revops/event-store';
import { writeResultOf, type WriteResult } from '../../common/write-result';

export type ContactWriteResult = WriteResult & { readonly contactId: string };

export function contactWritten(contactId: string, result: HandleResult<unknown>): ContactWriteResult {
  return { contactId, ...writeResultOf(result) };
}
