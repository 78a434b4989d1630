import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStoreDBClient, jsonEvent, START } from '@eventstore/db-client';
import { startEventStoreDevServer, type EventStoreDevServer } from './server';

const EVENTS = 4_000;
const IO = '/proc/self/io';

/** Write system calls this process has made so far, to sockets and anything else (Linux). */
function writeCallsSoFar(): number {
  return Number(/^syscw: (\d+)$/m.exec(readFileSync(IO, 'utf8'))![1]);
}

describe('a long read from the dev server', () => {
  let dataDir: string;
  let server: EventStoreDevServer;
  let client: EventStoreDBClient;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'revops-batched-writes-'));
    server = await startEventStoreDevServer({ dataDir, port: 0 });
    client = EventStoreDBClient.connectionString(server.connectionString);
    const events = Array.from({ length: EVENTS }, (_, n) => jsonEvent({ type: 'Counted', data: { n, padding: 'x'.repeat(200) } }));
    for (let start = 0; start < EVENTS; start += 1_000) await client.appendToStream('counts-1', events.slice(start, start + 1_000));
  }, 60_000);

  afterAll(async () => {
    await client?.dispose();
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('arrives whole and in order, its events sent many to a socket write', async () => {
    const measured = existsSync(IO);
    const before = measured ? writeCallsSoFar() : 0;
    const counted: number[] = [];
    for await (const resolved of client.readAll({ fromPosition: START, maxCount: EVENTS * 2 })) {
      if (resolved.event?.type === 'Counted') counted.push((resolved.event.data as { n: number }).n);
    }
    expect(counted).toEqual(Array.from({ length: EVENTS }, (_, n) => n));
    // Server and client share this process: one write per event (as grpc-js sends them by
    // itself) would come to more than EVENTS; the client's own writes are a few dozen.
    if (measured) expect(writeCallsSoFar() - before).toBeLessThan(EVENTS / 2);
  });
});
