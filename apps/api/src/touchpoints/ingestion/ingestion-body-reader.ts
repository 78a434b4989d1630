import express, { type NextFunction, type Request, type Response } from 'express';
import { ingestionLimits } from './ingestion-limits';

export const TOUCHPOINTS_ROUTE = 'v1/touchpoints';

/** What reading the body left on the request: the bytes, or why there are none. */
export interface IngestionRequest extends Request {
  body: Buffer | undefined;
  bodyReadError?: { status?: number; type?: string; message: string };
}

/**
 * Ingestion reads its own body: NDJSON, which the application's JSON parser does not know,
 * and batches up to the ingestion limit. The api mounts this on the route before any other
 * body parser, so they find the body consumed and leave it alone.
 *
 * A read that fails (too large, an unknown Content-Encoding, an aborted upload) is kept
 * on the request instead of answered here, so the controller answers it like every
 * other error, and request logging still sees it.
 */
export function ingestionBodyReader(): express.RequestHandler[] {
  const keepReadError = (
    error: IngestionRequest['bodyReadError'],
    request: IngestionRequest,
    _response: Response,
    next: NextFunction,
  ) => {
    request.bodyReadError = error;
    request.body = undefined;
    next();
  };
  return [express.raw({ type: () => true, limit: ingestionLimits.maxBodyBytes }), keepReadError as unknown as express.RequestHandler];
}
