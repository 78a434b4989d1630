import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEventStoreDevServer } from './server';

/** `eventstore-dev --data <dir> --port <port> [--host <host>] [--max-append-size <bytes>]` */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: '.data/eventstore' },
      port: { type: 'string', default: '2113' },
      host: { type: 'string', default: '127.0.0.1' },
      'max-append-size': { type: 'string' },
    },
  });
  const logLine = (line: object): void => {
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...line })}\n`);
  };
  const server = await startEventStoreDevServer({
    dataDir: resolve(values.data),
    port: Number(values.port),
    host: values.host,
    maxAppendSize: values['max-append-size'] === undefined ? undefined : Number(values['max-append-size']),
    logger: logLine,
  });

  const shutdown = (signal: string): void => {
    logLine({ level: 'info', msg: 'shutting down', signal });
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logLine({ level: 'error', msg: 'shutdown failed', error: String(error) });
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'fatal', msg: 'event-store dev server failed', error: String(error) })}\n`);
  process.exit(1);
});
