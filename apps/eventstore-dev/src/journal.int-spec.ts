import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { appendFile, mkdtemp, open, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { EventStoreDBClient, jsonEvent, NO_STREAM } from '@eventstore/db-client';
import { status } from '@grpc/grpc-js';
import { JOURNAL_FILE } from './journal';
import { startEventStoreDevServer } from './server';

// Always the dev server: these tests kill it, restart it and damage its journal.
const MAIN = join(__dirname, 'main.ts');

interface RunningServer {
  client: EventStoreDBClient;
  kill(): Promise<void>;
}

const running: RunningServer[] = [];
let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'revops-journal-'));
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.kill()));
  await rm(dataDir, { recursive: true, force: true });
});

/** Starts the dev server as a child process, as `npm run eventstore:dev` would. */
async function startServerProcess(): Promise<RunningServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--data', dataDir, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const connectionString = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`The dev server exited with ${code} before listening`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as { msg?: string; connectionString?: string };
      if (entry.msg === 'listening') resolve(entry.connectionString!);
    });
  });
  const server: RunningServer = {
    client: EventStoreDBClient.connectionString(connectionString),
    kill: async () => {
      await server.client.dispose();
      await killHard(child);
    },
  };
  running.push(server);
  return server;
}

async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

async function stopAbruptly(server: RunningServer): Promise<void> {
  running.splice(running.indexOf(server), 1);
  await server.kill();
}

async function readBack(client: EventStoreDBClient, stream: string) {
  const events = [];
  for await (const { event } of client.readStream(stream)) {
    events.push({
      id: event!.id,
      type: event!.type,
      revision: event!.revision,
      data: event!.data,
      metadata: event!.metadata,
      position: event!.position,
      created: event!.created,
    });
  }
  return events;
}

function journeyEvents(count: number) {
  return Array.from({ length: count }, (_, index) =>
    jsonEvent({
      type: 'TouchpointRecorded',
      data: { touchpointId: randomUUID(), channel: index % 2 ? 'email' : 'paid_search', index },
      metadata: { source: 'tracker' },
    }),
  );
}

describe('the journal', () => {
  it('keeps every acknowledged event through kill -9 and a restart', async () => {
    const first = await startServerProcess();
    const streams = Array.from({ length: 20 }, (_, index) => `journey-${index}-${randomUUID()}`);
    await Promise.all(streams.map((stream) => first.client.appendToStream(stream, journeyEvents(5))));
    await Promise.all(streams.map((stream) => first.client.appendToStream(stream, journeyEvents(3), { expectedRevision: 4n })));
    const before = await Promise.all(streams.map((stream) => readBack(first.client, stream)));
    await stopAbruptly(first);

    const second = await startServerProcess();
    const after = await Promise.all(streams.map((stream) => readBack(second.client, stream)));
    expect(after).toEqual(before);
    expect(after.every((events) => events.length === 8)).toBe(true);
  });

  it('cuts off a commit torn at the end of the file and keeps the ones before it', async () => {
    const stream = `journey-${randomUUID()}`;
    const first = await startServerProcess();
    await first.client.appendToStream(stream, journeyEvents(3), { expectedRevision: NO_STREAM });
    const kept = await readBack(first.client, stream);
    await first.client.appendToStream(stream, journeyEvents(2), { expectedRevision: 2n });
    await stopAbruptly(first);

    const journal = join(dataDir, JOURNAL_FILE);
    await truncate(journal, (await stat(journal)).size - 5);

    const second = await startServerProcess();
    expect(await readBack(second.client, stream)).toEqual(kept);
    const appended = await second.client.appendToStream(stream, journeyEvents(1), { expectedRevision: 2n });
    expect(appended.nextExpectedRevision).toBe(3n);
    expect(appended.position!.commit).toBeGreaterThan(kept[2].position!.commit);
  });

  it('cuts off a commit whose checksum fails', async () => {
    const stream = `journey-${randomUUID()}`;
    const first = await startServerProcess();
    await first.client.appendToStream(stream, journeyEvents(2));
    const kept = await readBack(first.client, stream);
    await first.client.appendToStream(stream, journeyEvents(2));
    await stopAbruptly(first);

    const journal = await open(join(dataDir, JOURNAL_FILE), 'r+');
    const { size } = await journal.stat();
    await journal.write(Buffer.from([0xff, 0x00, 0xff]), 0, 3, size - 20);
    await journal.close();

    const second = await startServerProcess();
    expect(await readBack(second.client, stream)).toEqual(kept);
  });

  it('ignores garbage after the last commit and appends over it durably', async () => {
    const stream = `journey-${randomUUID()}`;
    const first = await startServerProcess();
    await first.client.appendToStream(stream, journeyEvents(4));
    const kept = await readBack(first.client, stream);
    await stopAbruptly(first);

    await appendFile(join(dataDir, JOURNAL_FILE), randomBytes(64));

    const second = await startServerProcess();
    expect(await readBack(second.client, stream)).toEqual(kept);
    await second.client.appendToStream(stream, journeyEvents(1), { expectedRevision: 3n });
    const withNewEvent = await readBack(second.client, stream);
    await stopAbruptly(second);

    const third = await startServerProcess();
    expect(await readBack(third.client, stream)).toEqual(withNewEvent);
    expect(withNewEvent).toHaveLength(5);
  });
});

describe('the data directory', () => {
  it('cannot be opened by a second server while a live one holds it', async () => {
    await startServerProcess();
    await expect(startEventStoreDevServer({ dataDir, port: 0 })).rejects.toThrow(/in use by process/);
  });

  it('is taken over from a server that was killed, and released on close', async () => {
    await stopAbruptly(await startServerProcess());
    const server = await startEventStoreDevServer({ dataDir, port: 0 });
    expect(server.port).toBeGreaterThan(0);
    await server.close();
    const again = await startEventStoreDevServer({ dataDir, port: 0 });
    expect(again.port).toBeGreaterThan(0);
    await again.close();
  });
});

describe('restarting the dev server in-process', () => {
  it('serves the same events on the same port and lets the client reconnect', async () => {
    const server = await startEventStoreDevServer({ dataDir, port: 0 });
    const client = EventStoreDBClient.connectionString(server.connectionString);
    const stream = `journey-${randomUUID()}`;
    await client.appendToStream(stream, journeyEvents(2));
    const before = await readBack(client, stream);
    await server.close();

    const restarted = await startEventStoreDevServer({ dataDir, port: server.port });
    try {
      expect(restarted.connectionString).toBe(server.connectionString);
      expect(await readBack(client, stream)).toEqual(before);
      const appended = await client.appendToStream(stream, journeyEvents(1), { expectedRevision: 1n });
      expect(appended.nextExpectedRevision).toBe(2n);
    } finally {
      await client.dispose();
      await restarted.close();
    }
  });

  it('fails appends as unavailable while down, and takes them again once restarted', async () => {
    const server = await startEventStoreDevServer({ dataDir, port: 0 });
    const client = EventStoreDBClient.connectionString(server.connectionString);
    const stream = `journey-${randomUUID()}`;
    await client.appendToStream(stream, journeyEvents(1));
    await server.close();

    // Depending on where the client notices, this is its UnavailableError or the raw gRPC error.
    await expect(client.appendToStream(stream, journeyEvents(1))).rejects.toMatchObject({ code: status.UNAVAILABLE });
    const restarted = await startEventStoreDevServer({ dataDir, port: server.port });
    try {
      const appended = await client.appendToStream(stream, journeyEvents(1), { expectedRevision: 0n });
      expect(appended.nextExpectedRevision).toBe(1n);
    } finally {
      await client.dispose();
      await restarted.close();
    }
  });
});
