/** Stable codes the API maps to GraphQL error codes. */
export type ProjectionErrorCode =
  | 'PROJECTION_TIMEOUT'
  | 'PROJECTION_NOT_FOUND'
  | 'PROJECTION_NOT_READY'
  | 'PROJECTION_NOT_STALLED'
  | 'PROJECTION_SKIP_MISMATCH';

export class ProjectionError extends Error {
  constructor(
    readonly code: ProjectionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The serving version did not pass the requested position in time; the caller must not read stale rows. */
export class ProjectionTimeoutError extends ProjectionError {
  constructor(message: string) {
    super('PROJECTION_TIMEOUT', message);
  }
}

export class ProjectionNotFoundError extends ProjectionError {
  constructor(message: string) {
    super('PROJECTION_NOT_FOUND', message);
  }
}

/** No version of the projection has caught up yet, so none serves reads. */
export class ProjectionNotReadyError extends ProjectionError {
  constructor(message: string) {
    super('PROJECTION_NOT_READY', message);
  }
}

export class ProjectionNotStalledError extends ProjectionError {
  constructor(message: string) {
    super('PROJECTION_NOT_STALLED', message);
  }
}

export class ProjectionSkipMismatchError extends ProjectionError {
  constructor(message: string) {
    super('PROJECTION_SKIP_MISMATCH', message);
  }
}

/**
 * The checkpoint row was not where this runner left it, or the version was retired: another
 * runner took over, an operator acted, or a newer version replaced this one. The transaction
 * is rolled back and the runner re-reads its row instead of retrying.
 */
export class CheckpointMovedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointMovedError';
  }
}
