import type { WrongExpectedVersionError } from './errors';
import type { ExpectedRevision } from './expected-revision';
import { GoogleEmpty, shared, streams } from './protocol';
import type { AppendOutcome } from './store';

/** Every BatchAppend response names its correlation id, stream and expected revision. */
export function batchAppendResponse(
  correlationId: shared.UUID,
  streamName: Buffer,
  expected: ExpectedRevision,
): streams.BatchAppendResp {
  const response = new streams.BatchAppendResp();
  response.setCorrelationId(correlationId);
  const identifier = new shared.StreamIdentifier();
  identifier.setStreamName(streamName);
  response.setStreamIdentifier(identifier);
  setExpected(response, expected);
  return response;
}

export function batchAppendSuccess(outcome: AppendOutcome): streams.BatchAppendResp.Success {
  const success = new streams.BatchAppendResp.Success();
  if (outcome.currentRevision >= 0) success.setCurrentRevision(String(outcome.currentRevision));
  else success.setNoStream(new GoogleEmpty());
  if (outcome.position !== undefined) success.setPosition(allPosition(outcome.position));
  else success.setNoPosition(new GoogleEmpty());
  return success;
}

function setExpected(response: streams.BatchAppendResp, expected: ExpectedRevision): void {
  switch (expected.kind) {
    case 'any':
      response.setAny(new GoogleEmpty());
      break;
    case 'no_stream':
      response.setNoStream(new GoogleEmpty());
      break;
    case 'stream_exists':
      response.setStreamExists(new GoogleEmpty());
      break;
    case 'exact':
      response.setStreamPosition(String(expected.revision));
      break;
  }
}

function allPosition(position: number): shared.AllStreamPosition {
  const result = new shared.AllStreamPosition();
  result.setCommitPosition(String(position));
  result.setPreparePosition(String(position));
  return result;
}

export function appendSuccess(outcome: AppendOutcome): streams.AppendResp {
  const success = new streams.AppendResp.Success();
  if (outcome.currentRevision >= 0) success.setCurrentRevision(String(outcome.currentRevision));
  else success.setNoStream(new shared.Empty());
  if (outcome.position !== undefined) {
    const position = new streams.AppendResp.Position();
    position.setCommitPosition(String(outcome.position));
    position.setPreparePosition(String(outcome.position));
    success.setPosition(position);
  } else {
    success.setNoPosition(new shared.Empty());
  }
  return new streams.AppendResp().setSuccess(success);
}

/** Append reports a version conflict in-band, filling the legacy 20.6.0 fields as well. */
export function appendWrongExpectedVersion(error: WrongExpectedVersionError): streams.AppendResp {
  const conflict = new streams.AppendResp.WrongExpectedVersion();
  if (error.actualRevision >= 0) {
    conflict.setCurrentRevision(String(error.actualRevision));
    conflict.setCurrentRevision2060(error.actualRevision);
  } else {
    conflict.setCurrentNoStream(new shared.Empty());
    conflict.setNoStream2060(new shared.Empty());
  }
  switch (error.expected.kind) {
    case 'any':
      conflict.setExpectedAny(new shared.Empty());
      conflict.setAny2060(new shared.Empty());
      break;
    case 'no_stream':
      conflict.setExpectedNoStream(new shared.Empty());
      break;
    case 'stream_exists':
      conflict.setExpectedStreamExists(new shared.Empty());
      conflict.setStreamExists2060(new shared.Empty());
      break;
    case 'exact':
      conflict.setExpectedRevision(String(error.expected.revision));
      conflict.setExpectedRevision2060(error.expected.revision);
      break;
  }
  return new streams.AppendResp().setWrongExpectedVersion(conflict);
}
