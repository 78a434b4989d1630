import type { HandleResult } from '@revops/event-store';
import { writeResultOf, type WriteResult } from '../../common/write-result';

export type CampaignWriteResult = WriteResult & { readonly campaignId: string };

export function campaignWritten(campaignId: string, result: HandleResult<unknown>): CampaignWriteResult {
  return { campaignId, ...writeResultOf(result) };
}
