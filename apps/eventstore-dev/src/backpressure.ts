import type { ServerWritableStream } from '@grpc/grpc-js';

/**
 * Writes a message and, when the call's buffer is full, waits until it
 * drains (or the call goes away), so a long read never piles up in memory.
 */
export function writeWithBackpressure<Response>(
  call: ServerWritableStream<unknown, Response>,
  message: Response,
): Promise<void> | undefined {
  if (call.write(message)) return undefined;
  return new Promise((resolve) => {
    const settle = (): void => {
      for (const event of SETTLING_EVENTS) call.off(event, settle);
      resolve();
    };
    for (const event of SETTLING_EVENTS) call.once(event, settle);
  });
}

const SETTLING_EVENTS = ['drain', 'cancelled', 'close', 'finish', 'error'] as const;
