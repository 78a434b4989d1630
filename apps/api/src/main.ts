import 'reflect-metadata';
import pino from 'pino';
import { startApi, type RunningApi } from './bootstrap';

async function main(): Promise<void> {
  let api: RunningApi | undefined;
  let stopRequested: NodeJS.Signals | undefined;

  const stop = (running: RunningApi, signal: NodeJS.Signals) => {
    running.runtime.logger.info({ signal }, 'shutting down');
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        running.runtime.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };

  // Listening from the very start: the default action would kill the process while a first
  // start is still initialising the embedded PostgreSQL cluster. A signal during start waits
  // for it to finish. Nest's own shutdown hook re-raises the signal once the application is
  // closed, while the stores are still stopping; this listener stays and swallows it.
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopRequested) return;
    stopRequested = signal;
    if (api) stop(api, signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    api = await startApi(process.env);
  } catch (error) {
    // The configured logger may not exist (an invalid LOG_LEVEL, say).
    pino({ base: { service: 'api' } }).fatal({ err: error }, error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
  if (stopRequested) stop(api, stopRequested);
}

void main();
