import type { ExpectedRevision } from './expected-revision';

/** The stream's last revision did not match; `actualRevision` -1 means no stream. */
export class WrongExpectedVersionError extends Error {
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    readonly actualRevision: number,
  ) {
    super(`Wrong expected version for ${streamName}`);
  }
}

export class StreamDeletedError extends Error {
  constructor(readonly streamName: string) {
    super(`Stream ${streamName} is deleted`);
  }
}

export class MaximumAppendSizeExceededError extends Error {
  constructor(readonly maxAppendSize: number) {
    super(`Maximum append size of ${maxAppendSize} bytes exceeded`);
  }
}

export class BadRequestError extends Error {}

export class DeadlineExceededError extends Error {
  constructor() {
    super('Timeout');
  }
}
