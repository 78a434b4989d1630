import type { sendUnaryData, ServerDuplexStream, ServerReadableStream } from '@grpc/grpc-js';
import { BadRequestError, DeadlineExceededError, MaximumAppendSizeExceededError, WrongExpectedVersionError } from './errors';
import { toBatchAppendStatus, toCallError } from './error-responses';
import type { NewEvent } from './event-record';
import type { ExpectedRevision } from './expected-revision';
import { appendSuccess, appendWrongExpectedVersion, batchAppendResponse, batchAppendSuccess } from './append-responses';
import { shared, streams } from './protocol';
import {
  appendSize,
  toBatchExpectedRevision,
  toExpectedRevision,
  toNewEvent,
  toStreamName,
} from './proposed-events';
import type { DevEventStore } from './store';
import { formatUuid, uuidFromParts } from './uuid';

interface PendingBatch {
  correlationId: shared.UUID;
  streamName: string;
  streamNameBytes: Buffer;
  expected: ExpectedRevision;
  deadlineMs: number | undefined;
  events: NewEvent[];
  size: number;
  failure: unknown;
}

export class AppendService {
  constructor(
    private readonly store: DevEventStore,
    private readonly maxAppendSize: number,
  ) {}

  /** Streams.Append: options first, then one proposed message per request; one response. */
  append(call: ServerReadableStream<streams.AppendReq, streams.AppendResp>, respond: sendUnaryData<streams.AppendResp>): void {
    let target: { name: string; expected: ExpectedRevision } | undefined;
    const events: NewEvent[] = [];
    let size = 0;
    let answered = false;
    const answer: typeof respond = (error, response) => {
      if (answered) return;
      answered = true;
      respond(error, response);
    };

    call.on('data', (request: streams.AppendReq) => {
      if (answered) return;
      try {
        if (request.hasOptions()) {
          const options = request.getOptions()!;
          target = { name: toStreamName(options.getStreamIdentifier()).name, expected: toExpectedRevision(options) };
          return;
        }
        if (!target) throw new BadRequestError('Append options must come first');
        const event = toNewEvent(request.getProposedMessage()!);
        size += appendSize(event);
        if (size > this.maxAppendSize) throw new MaximumAppendSizeExceededError(this.maxAppendSize);
        events.push(event);
      } catch (error) {
        // The server answers a bad or oversized append at once, without reading the rest.
        answer(toCallError(error));
      }
    });
    call.on('error', () => undefined);
    call.on('end', () => {
      if (answered) return;
      if (!target) return answer(toCallError(new BadRequestError('Append options are required')));
      const { name, expected } = target;
      this.store.append(name, expected, events).then(
        (outcome) => answer(null, appendSuccess(outcome)),
        (error: unknown) =>
          error instanceof WrongExpectedVersionError
            ? answer(null, appendWrongExpectedVersion(error))
            : answer(toCallError(error)),
      );
    });
  }

  /**
   * Streams.BatchAppend: one long-lived call carrying many appends, each made
   * of chunks sharing a correlation id, the first with options, the last
   * marked final. Exactly one response per correlation id.
   */
  batchAppend(call: ServerDuplexStream<streams.BatchAppendReq, streams.BatchAppendResp>): void {
    const pending = new Map<string, PendingBatch>();
    let inFlight = 0;
    let requestsEnded = false;
    let closed = false;

    const finishIfDone = (): void => {
      if (requestsEnded && inFlight === 0 && !closed) {
        closed = true;
        call.end();
      }
    };
    const send = (response: streams.BatchAppendResp): void => {
      if (!closed) call.write(response);
    };

    call.on('data', (request: streams.BatchAppendReq) => {
      const correlationId = request.getCorrelationId() ?? new shared.UUID();
      const key = correlationKey(correlationId);
      let batch = pending.get(key);
      if (!batch) {
        batch = openBatch(correlationId, request.getOptions());
        pending.set(key, batch);
      }
      if (batch.failure === undefined) this.collect(batch, request.getProposedMessagesList());
      if (!request.getIsFinal()) return;
      pending.delete(key);
      inFlight += 1;
      this.complete(batch)
        .then(send)
        .finally(() => {
          inFlight -= 1;
          finishIfDone();
        });
    });
    call.on('end', () => {
      requestsEnded = true;
      finishIfDone();
    });
    call.on('cancelled', () => {
      closed = true;
    });
    call.on('error', () => {
      closed = true;
    });
  }

  private collect(batch: PendingBatch, messages: streams.BatchAppendReq.ProposedMessage[]): void {
    try {
      for (const message of messages) {
        const event = toNewEvent(message);
        batch.size += appendSize(event);
        if (batch.size > this.maxAppendSize) throw new MaximumAppendSizeExceededError(this.maxAppendSize);
        batch.events.push(event);
      }
    } catch (error) {
      batch.failure = error;
      batch.events = [];
    }
  }

  private async complete(batch: PendingBatch): Promise<streams.BatchAppendResp> {
    const response = batchAppendResponse(batch.correlationId, batch.streamNameBytes, batch.expected);
    try {
      if (batch.failure !== undefined) throw batch.failure;
      if (batch.deadlineMs !== undefined && Date.now() > batch.deadlineMs) throw new DeadlineExceededError();
      const outcome = await this.store.append(batch.streamName, batch.expected, batch.events);
      return response.setSuccess(batchAppendSuccess(outcome));
    } catch (error) {
      return response.setError(toBatchAppendStatus(error, batch.streamNameBytes));
    }
  }
}

function openBatch(correlationId: shared.UUID, options: streams.BatchAppendReq.Options | undefined): PendingBatch {
  const batch: PendingBatch = {
    correlationId,
    streamName: '',
    streamNameBytes: Buffer.alloc(0),
    expected: { kind: 'any' },
    deadlineMs: undefined,
    events: [],
    size: 0,
    failure: undefined,
  };
  try {
    if (!options) throw new BadRequestError('The first request of a batch append must carry its options');
    const stream = toStreamName(options.getStreamIdentifier());
    batch.streamName = stream.name;
    batch.streamNameBytes = stream.bytes;
    batch.expected = toBatchExpectedRevision(options);
    const deadline = options.getDeadline();
    if (deadline) batch.deadlineMs = deadline.getSeconds() * 1000 + deadline.getNanos() / 1e6;
  } catch (error) {
    batch.failure = error;
  }
  return batch;
}

function correlationKey(uuid: shared.UUID): string {
  if (uuid.hasStructured()) {
    const structured = uuid.getStructured()!;
    return formatUuid(uuidFromParts(structured.getMostSignificantBits(), structured.getLeastSignificantBits()));
  }
  return uuid.getString();
}
