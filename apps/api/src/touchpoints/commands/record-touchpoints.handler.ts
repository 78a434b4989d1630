import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TouchpointIngestion } from '../ingestion/touchpoint-ingestion.service';
import type { TouchpointBatchResult } from '../ingestion/touchpoint-batch';
import { RecordTouchpoints } from './record-touchpoints.command';

@CommandHandler(RecordTouchpoints)
export class RecordTouchpointsHandler implements ICommandHandler<RecordTouchpoints, TouchpointBatchResult> {
  constructor(private readonly ingestion: TouchpointIngestion) {}

  execute({ entries, context }: RecordTouchpoints): Promise<TouchpointBatchResult> {
    return this.ingestion.ingest(entries, context);
  }
}
