import 'reflect-metadata';
import pino from 'pino';
import { startProjector } from './bootstrap';

async function main(): Promise<void> {
  let projector;
  try {
    projector = await startProjector(process.env);
  } catch (error) {
    pino({ base: { service: 'projector' } }).fatal({ err: error }, error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
  const running = projector;
  const stop = (signal: NodeJS.Signals) => {
    running.logger.info({ signal }, 'shutting down');
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        running.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
