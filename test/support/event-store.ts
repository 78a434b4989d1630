import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MAX_APPEND_SIZE, startEventStoreDevServer, type EventStoreDevServer } from '@revops/eventstore-dev';

export interface EventStoreHandle {
  connectionString: string;
  /** The server's maximum append size in bytes. */
  maxAppendSize: number;
  stop(): Promise<void>;
  /** Closes the dev server and starts it again on the same port and data directory. */
  restart(): Promise<void>;
}

export interface EventStoreOptions {
  /**
   * Maximum append size of the dev server. An external server keeps its own
   * limit, which EVENTSTORE_MAX_APPEND_SIZE should then state (default 1 MiB).
   */
  maxAppendSize?: number;
}

/**
 * The event store for a test: the server named by EVENTSTORE_URL when set (a
 * real EventStoreDB/KurrentDB), otherwise a dev server started in-process on
 * an ephemeral port over a fresh temporary data directory.
 */
export async function useEventStore(options: EventStoreOptions = {}): Promise<EventStoreHandle> {
  const external = process.env.EVENTSTORE_URL;
  if (external) {
    return {
      connectionString: external,
      maxAppendSize: Number(process.env.EVENTSTORE_MAX_APPEND_SIZE ?? DEFAULT_MAX_APPEND_SIZE),
      stop: async () => undefined,
      restart: async () => {
        throw new Error(
          'restart() needs the in-process event-store dev server; it is not available when EVENTSTORE_URL points at an external server',
        );
      },
    };
  }

  const maxAppendSize = options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE;
  const dataDir = await mkdtemp(join(tmpdir(), 'revops-eventstore-'));
  let server: EventStoreDevServer | undefined = await startEventStoreDevServer({ dataDir, port: 0, maxAppendSize });
  const port = server.port;

  return {
    connectionString: server.connectionString,
    maxAppendSize,
    stop: async () => {
      await server?.close();
      server = undefined;
      await rm(dataDir, { recursive: true, force: true });
    },
    restart: async () => {
      await server?.close();
      server = undefined;
      server = await startEventStoreDevServer({ dataDir, port, maxAppendSize });
    },
  };
}
