import { Metadata, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import {
  BadRequestError,
  DeadlineExceededError,
  MaximumAppendSizeExceededError,
  StreamDeletedError,
  WrongExpectedVersionError,
} from './errors';
import { expectedVersionNumber } from './expected-revision';
import { Any, Code, GoogleEmpty, shared, status } from './protocol';

type CallError = Pick<ServiceError, 'code' | 'details' | 'metadata'>;

/**
 * An error as an RPC status with the trailers the client turns into its own
 * typed errors (`exception` first, then the status code).
 */
export function toCallError(error: unknown): CallError {
  const trailers = new Metadata();
  if (error instanceof WrongExpectedVersionError) {
    trailers.set('exception', 'wrong-expected-version');
    trailers.set('stream-name', asciiTrailer(error.streamName));
    trailers.set('expected-version', String(expectedVersionNumber(error.expected)));
    trailers.set('actual-version', error.actualRevision < 0 ? '' : String(error.actualRevision));
    return { code: GrpcStatus.FAILED_PRECONDITION, details: error.message, metadata: trailers };
  }
  if (error instanceof StreamDeletedError) {
    trailers.set('exception', 'stream-deleted');
    trailers.set('stream-name', asciiTrailer(error.streamName));
    return { code: GrpcStatus.FAILED_PRECONDITION, details: error.message, metadata: trailers };
  }
  if (error instanceof MaximumAppendSizeExceededError) {
    trailers.set('exception', 'maximum-append-size-exceeded');
    trailers.set('maximum-append-size', String(error.maxAppendSize));
    return { code: GrpcStatus.INVALID_ARGUMENT, details: error.message, metadata: trailers };
  }
  if (error instanceof DeadlineExceededError) {
    return { code: GrpcStatus.DEADLINE_EXCEEDED, details: error.message, metadata: trailers };
  }
  if (error instanceof BadRequestError) {
    return { code: GrpcStatus.INVALID_ARGUMENT, details: error.message, metadata: trailers };
  }
  return {
    code: GrpcStatus.UNKNOWN,
    details: error instanceof Error ? error.message : String(error),
    metadata: trailers,
  };
}

/**
 * An append error as BatchAppend carries it: a google.rpc.Status whose single
 * Any detail names the event_store.client message the client dispatches on.
 */
export function toBatchAppendStatus(error: unknown, streamName: Buffer): status.Status {
  const result = new status.Status();
  const details = new Any();
  if (error instanceof WrongExpectedVersionError) {
    const detail = new shared.WrongExpectedVersion();
    if (error.actualRevision < 0) detail.setCurrentNoStream(new GoogleEmpty());
    else detail.setCurrentStreamRevision(String(error.actualRevision));
    switch (error.expected.kind) {
      case 'any':
        detail.setExpectedAny(new GoogleEmpty());
        break;
      case 'no_stream':
        detail.setExpectedNoStream(new GoogleEmpty());
        break;
      case 'stream_exists':
        detail.setExpectedStreamExists(new GoogleEmpty());
        break;
      case 'exact':
        detail.setExpectedStreamPosition(String(error.expected.revision));
        break;
    }
    details.pack(detail.serializeBinary(), 'event_store.client.WrongExpectedVersion');
    result.setCode(Code.ALREADY_EXISTS).setMessage('WrongExpectedVersion');
  } else if (error instanceof StreamDeletedError) {
    const identifier = new shared.StreamIdentifier();
    identifier.setStreamName(streamName);
    const detail = new shared.StreamDeleted();
    detail.setStreamIdentifier(identifier);
    details.pack(detail.serializeBinary(), 'event_store.client.StreamDeleted');
    result.setCode(Code.NOT_FOUND).setMessage('StreamDeleted');
  } else if (error instanceof MaximumAppendSizeExceededError) {
    const detail = new shared.MaximumAppendSizeExceeded();
    detail.setMaxappendsize(error.maxAppendSize);
    details.pack(detail.serializeBinary(), 'event_store.client.MaximumAppendSizeExceeded');
    result.setCode(Code.INVALID_ARGUMENT).setMessage('MaximumAppendSizeExceeded');
  } else if (error instanceof DeadlineExceededError) {
    details.pack(new shared.Timeout().serializeBinary(), 'event_store.client.Timeout');
    result.setCode(Code.DEADLINE_EXCEEDED).setMessage('Timeout');
  } else {
    const detail = new shared.BadRequest();
    detail.setMessage(error instanceof Error ? error.message : String(error));
    details.pack(detail.serializeBinary(), 'event_store.client.BadRequest');
    result
      .setCode(error instanceof BadRequestError ? Code.INVALID_ARGUMENT : Code.UNKNOWN)
      .setMessage(detail.getMessage());
  }
  return result.setDetails(details);
}

// Trailer values must be printable ASCII; the client only echoes the name back.
function asciiTrailer(value: string): string {
  return value.replace(/[^ -~]/g, '?');
}
