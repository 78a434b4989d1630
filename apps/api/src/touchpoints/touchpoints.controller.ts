import { STATUS_CODES } from 'node:http';
import { Controller, HttpException, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { RecordTouchpoints } from './commands/record-touchpoints.command';
import { TOUCHPOINTS_ROUTE, type IngestionRequest } from './ingestion/ingestion-body-reader';
import { ingestionContextFrom, InvalidIngestionHeaderError, type IngestionContext } from './ingestion/ingestion-context';
import { describeBytes, ingestionLimits } from './ingestion/ingestion-limits';
import {
  batchFormatOf,
  InvalidBatchError,
  parseTouchpointBatch,
  type BatchEntry,
  type TouchpointBatchResult,
} from './ingestion/touchpoint-batch';

/** Store failures are worth a retry, and re-sending a batch is safe; validation failures are not. */
const RETRYABLE_CODES = new Set(['STORE_UNAVAILABLE', 'STORE_FAILURE']);

/**
 * `POST /v1/touchpoints` for trackers and integrations: a JSON array or NDJSON of up to
 * 1,000 touchpoints. 200 when every one was stored, 207 when some were refused (the body
 * says which and why), 503 when the store failed some (the body still lists what was
 * stored; send the batch again). See docs/touchpoint-ingestion.md.
 */
@Controller(TOUCHPOINTS_ROUTE)
export class TouchpointsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  async record(@Req() request: IngestionRequest, @Res({ passthrough: true }) response: Response): Promise<TouchpointBatchResult> {
    const entries = batchOf(request);
    const result = await this.commandBus.execute(new RecordTouchpoints(entries, contextOf(request)));
    if (result.rejected.some(({ errors }) => errors.some(({ code }) => RETRYABLE_CODES.has(code)))) {
      response.status(HttpStatus.SERVICE_UNAVAILABLE).setHeader('Retry-After', '1');
    } else {
      response.status(result.rejected.length === 0 ? HttpStatus.OK : HttpStatus.MULTI_STATUS);
    }
    return result;
  }
}

function batchOf(request: IngestionRequest): BatchEntry[] {
  const readError = request.bodyReadError;
  if (readError) {
    if (readError.status === HttpStatus.PAYLOAD_TOO_LARGE) {
      const limit = ingestionLimits.maxBodyBytes;
      throw batchError(HttpStatus.PAYLOAD_TOO_LARGE, 'BODY_TOO_LARGE', `A request body may take at most ${describeBytes(limit)} (${limit} bytes); split the batch`, limit);
    }
    if (readError.status === HttpStatus.UNSUPPORTED_MEDIA_TYPE) {
      throw batchError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'UNSUPPORTED_ENCODING', 'Content-Encoding may be gzip, deflate, br or identity');
    }
    throw batchError(HttpStatus.BAD_REQUEST, 'UNREADABLE_BODY', `The request body could not be read: ${readError.message}`);
  }
  const format = batchFormatOf(request.headers['content-type']);
  if (format === null) {
    throw batchError(
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      'UNSUPPORTED_MEDIA_TYPE',
      'Send Content-Type: application/json (an array of touchpoints) or application/x-ndjson (one touchpoint per line)',
    );
  }
  try {
    return parseTouchpointBatch(request.body, format);
  } catch (error) {
    if (error instanceof InvalidBatchError) throw batchError(HttpStatus.BAD_REQUEST, error.code, error.message, error.limit);
    throw error;
  }
}

function contextOf(request: IngestionRequest): IngestionContext {
  try {
    return ingestionContextFrom(request.headers, 'tracker');
  } catch (error) {
    if (error instanceof InvalidIngestionHeaderError) throw batchError(HttpStatus.BAD_REQUEST, 'INVALID_HEADER', error.message);
    throw error;
  }
}

/** Errors about the request as a whole: Nest's usual shape, plus a stable code and the limit broken. */
function batchError(status: HttpStatus, code: string, message: string, limit?: number): HttpException {
  return new HttpException({ statusCode: status, error: STATUS_CODES[status], code, message, ...(limit !== undefined && { limit }) }, status);
}
