import { EventStore } from '@revops/event-store';
import { cpuSecondsSince } from '../report';

/**
 * The projections benchmark's baseline, in a process of its own: one read of the whole of
 * `$all` through the client, nothing done with the events but counting those outside system
 * streams. Prints `{"events":N,"seconds":S,"cpuSeconds":C}` on one line (C: this process's CPU time, every thread). Usage: raw-read.js <connection string>
 */
async function main(): Promise<void> {
  const connectionString = process.argv[2];
  if (!connectionString) throw new Error('Usage: raw-read.js <event store connection string>');
  const store = new EventStore({ connectionString });
  try {
    const started = performance.now();
    const cpuAtStart = process.cpuUsage();
    let events = 0;
    for await (const event of store.readAll()) if (!event.streamName.startsWith('$')) events++;
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`${JSON.stringify({ events, seconds, cpuSeconds: cpuSecondsSince(cpuAtStart) })}\n`);
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
