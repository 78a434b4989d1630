import { Module } from '@nestjs/common';
import { RecordTouchpointsHandler } from './commands/record-touchpoints.handler';
import { TouchpointIngestion } from './ingestion/touchpoint-ingestion.service';
import { TouchpointsController } from './touchpoints.controller';
import { TouchpointsResolver } from './touchpoints.resolver';

/** Touchpoint ingestion: `POST /v1/touchpoints` and the `recordTouchpoints` mutation, one pipeline. */
@Module({
  controllers: [TouchpointsController],
  providers: [TouchpointIngestion, RecordTouchpointsHandler, TouchpointsResolver],
})
export class TouchpointsModule {}
