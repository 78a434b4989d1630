import type { graphqlClient } from './graphql-client';

type Send = ReturnType<typeof graphqlClient>;

/**
 * Waits until the serving version of each named read model has caught up with the log. A
 * fresh read store has none serving until each has caught up once, and only a serving
 * version answers queries and publishes live updates.
 */
export async function readModelsCaughtUp(send: Send, names: readonly string[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await send<{ projections: { name: string; serving: boolean; state: string }[] }>(
      '{ projections { name serving state } }',
    );
    const serving = (response.data?.projections ?? []).filter((projection) => projection.serving && projection.state === 'CAUGHT_UP');
    if (names.every((name) => serving.some((projection) => projection.name === name))) return;
    if (Date.now() > deadline) throw new Error(`read models never caught up: ${JSON.stringify(response.data ?? response.errors)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
