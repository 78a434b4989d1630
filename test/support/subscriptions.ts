import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** A graphql-ws client of the api at `apiUrl`, connected before it is returned. */
export function connectSubscriptions(apiUrl: string): Promise<Client> {
  return new Promise<Client>((resolve, reject) => {
    const client = createClient({
      url: `${apiUrl.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      on: { connected: () => resolve(client), error: reject },
    });
  });
}

/** Collects what one subscription delivers, and lets a test wait for the n-th message. */
export function collect<T>(client: Client, query: string, variables: Record<string, unknown>) {
  const received: T[] = [];
  const errors: unknown[] = [];
  let wake: (() => void) | undefined;
  const stop = client.subscribe<T>(
    { query, variables },
    {
      next: (message) => {
        if (message.errors) errors.push(...message.errors);
        if (message.data) received.push(message.data as T);
        wake?.();
      },
      error: (error) => {
        errors.push(error);
        wake?.();
      },
      complete: () => undefined,
    },
  );
  return {
    received,
    errors,
    stop,
    async atLeast(count: number, timeoutMs = 15_000): Promise<T[]> {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count && errors.length === 0 && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 100);
        });
      }
      expect(errors).toEqual([]);
      return received;
    },
  };
}
