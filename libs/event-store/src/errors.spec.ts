import * as client from '@eventstore/db-client';
import { Metadata } from '@grpc/grpc-js';
import {
  ConcurrencyConflictError,
  EventStoreFailureError,
  EventStoreUnavailableError,
  fromClientError,
  isTransientStoreError,
  StreamDeletedError,
  StreamNotFoundError,
} from './errors';

describe('fromClientError', () => {
  it('turns a wrong expected version into a CONFLICT naming both revisions', () => {
    const mapped = fromClientError(
      new client.WrongExpectedVersionError(undefined, { streamName: 'opportunity-1', expected: 3n, current: 5n }),
    );
    expect(mapped).toBeInstanceOf(ConcurrencyConflictError);
    expect(mapped).toMatchObject({ code: 'CONFLICT', streamName: 'opportunity-1', expectedRevision: '3', actualRevision: 5n });
  });

  it('keeps no_stream as the actual revision of a stream that does not exist', () => {
    const mapped = fromClientError(
      new client.WrongExpectedVersionError(undefined, { streamName: 'contact-1', expected: 'stream_exists', current: 'no_stream' }),
    );
    expect(mapped).toMatchObject({ code: 'CONFLICT', expectedRevision: 'stream_exists', actualRevision: 'no_stream' });
  });

  it('normalises an actual revision that arrives as a number', () => {
    const mapped = fromClientError(
      new client.WrongExpectedVersionError(undefined, { streamName: 's', expected: 1n, current: 2 as unknown as bigint }),
    );
    expect(mapped).toMatchObject({ actualRevision: 2n });
  });

  it('turns stream-not-found and stream-deleted into our own errors', () => {
    expect(fromClientError(new client.StreamNotFoundError(undefined, 'contact-9'))).toEqual(expect.any(StreamNotFoundError));
    expect(fromClientError(new client.StreamNotFoundError(undefined, 'contact-9'))).toMatchObject({
      code: 'STREAM_NOT_FOUND',
      streamName: 'contact-9',
    });
    expect(fromClientError(client.StreamDeletedError.fromStreamName('contact-9'))).toEqual(expect.any(StreamDeletedError));
    expect(fromClientError(client.StreamDeletedError.fromStreamName('contact-9'))).toMatchObject({
      code: 'STREAM_DELETED',
      streamName: 'contact-9',
    });
  });

  it('reports the store as unavailable for connection-level failures', () => {
    for (const error of [
      new client.UnavailableError(undefined, 'connection refused'),
      new client.CancelledError(undefined, 'server cancelled'),
      new client.DeadlineExceededError(undefined, 'too slow'),
    ]) {
      expect(fromClientError(error)).toMatchObject({ code: 'EVENT_STORE_UNAVAILABLE' });
    }
  });

  it('understands raw gRPC status errors that some client paths rethrow', () => {
    const status = Object.assign(new Error('14 UNAVAILABLE: No connection established'), {
      code: 14,
      details: 'No connection established',
      metadata: new Metadata(),
    });
    expect(fromClientError(status)).toMatchObject({ code: 'EVENT_STORE_UNAVAILABLE' });
  });

  it('wraps any other client error, keeping it as the cause', () => {
    const original = new client.AccessDeniedError(undefined, 'no');
    const mapped = fromClientError(original);
    expect(mapped).toBeInstanceOf(EventStoreFailureError);
    expect(mapped).toMatchObject({ code: 'EVENT_STORE_FAILURE', cause: original });
  });

  it('passes errors that are not the client’s through untouched', () => {
    const domainError = Object.assign(new Error('Opportunity already closed'), { code: 'OPPORTUNITY_ALREADY_CLOSED' });
    expect(fromClientError(domainError)).toBe(domainError);
  });
});

describe('isTransientStoreError', () => {
  it('is true for an unavailable store and for a connection torn down mid-call', () => {
    expect(isTransientStoreError(new EventStoreUnavailableError('down'))).toBe(true);
    expect(isTransientStoreError(fromClientError(new client.UnknownError(undefined, 'Received RST_STREAM with code 2')))).toBe(true);
  });

  it('is false for errors that another try would repeat', () => {
    expect(isTransientStoreError(fromClientError(new client.AccessDeniedError(undefined, 'no')))).toBe(false);
    expect(isTransientStoreError(new StreamDeletedError('contact-1'))).toBe(false);
    expect(isTransientStoreError(new TypeError('handler bug'))).toBe(false);
  });
});
