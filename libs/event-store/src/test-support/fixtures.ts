import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { metadataFrom, type CommandContext, type NewEventMetadata } from '../envelope';

export const FIXED_TIME = '2024-05-02T10:00:00.000Z';

export function aContext(overrides: Partial<CommandContext> = {}): CommandContext {
  return {
    correlationId: 'corr-1',
    causationId: 'cmd-1',
    actor: { type: 'user', id: 'user-7' },
    source: 'api',
    occurredAt: FIXED_TIME,
    ...overrides,
  };
}

export function someMetadata(overrides: Partial<CommandContext> = {}): NewEventMetadata {
  return metadataFrom(aContext(overrides));
}

/** A stream category no other test uses, so `$all` reads and filters see only this test's events. */
export function uniqueCategory(name: string): string {
  return `${name}${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}`);
    await sleep(10);
  }
}

/** A local port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
