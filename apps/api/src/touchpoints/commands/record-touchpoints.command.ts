import { Command } from '@nestjs/cqrs';
import type { IngestionContext } from '../ingestion/ingestion-context';
import type { BatchEntry, TouchpointBatchResult } from '../ingestion/touchpoint-batch';

/** Record a batch of touchpoints, each on its own: what passes is stored, the rest reported. */
export class RecordTouchpoints extends Command<TouchpointBatchResult> {
  constructor(
    readonly entries: readonly BatchEntry[],
    readonly context: IngestionContext,
  ) {
    super();
  }
}
