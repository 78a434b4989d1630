import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';
import { EmbeddedSession } from './embedded-session';

/*
 * PGlite is PostgreSQL compiled to WebAssembly: one backend, one session. It is served over
 * the wire protocol by pglite-socket's connection handler, with EmbeddedSession deciding
 * whose messages reach the backend (see there). What clients see:
 *
 * - Several connections work, each query whole: a pool of ten, a lease session and psql
 *   beside the api all get their own results.
 * - While one connection has a transaction open, the others wait until it commits or rolls
 *   back. Code that waits on a second connection inside a transaction never returns, so the
 *   read store still uses one connection against embedded PostgreSQL.
 * - Session state is shared: a SET or a session advisory lock taken on one connection holds
 *   for all of them.
 * - A client that disconnects mid-transaction gets it rolled back; cancel requests are
 *   ignored, and the user name and password are not checked.
 */

export interface EmbeddedPostgresOptions {
  /** Directory of the PostgreSQL cluster; created and initialised on first start. */
  readonly dataDir: string;
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Client connections the socket server admits at once. */
  readonly maxConnections?: number;
}

export interface EmbeddedPostgres {
  /** postgres:// URL that pg, TypeORM or psql connect to like to any server. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** Stops accepting clients and closes PGlite, which flushes its data to dataDir. */
  stop(): Promise<void>;
}

const host = '127.0.0.1';

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { dataDir } = options;
  await mkdir(dirname(dataDir), { recursive: true });
  const unlock = await lockDataDir(dataDir);

  let db: PGlite | undefined;
  try {
    db = await PGlite.create({ dataDir });
    const server = await serve(db, options.port ?? 0, options.maxConnections ?? 16);
    const port = server.port;

    const pglite = db;
    let stopping: Promise<void> | undefined;
    const stop = async () => {
      await server.stop();
      await pglite.close();
      await unlock();
    };

    return {
      url: `postgres://postgres@${host}:${port}/postgres`,
      port,
      dataDir,
      stop: () => (stopping ??= stop()),
    };
  } catch (error) {
    await db?.close().catch(() => undefined);
    await unlock();
    throw error;
  }
}

interface SocketServer {
  readonly port: number;
  /** Stops listening and detaches every client, rolling back what a client left open. */
  stop(): Promise<void>;
}

async function serve(db: PGlite, port: number, maxConnections: number): Promise<SocketServer> {
  const session = new EmbeddedSession(db);
  const handlers = new Set<PGLiteSocketHandler>();
  const server = createServer((socket) => {
    if (handlers.size >= maxConnections) {
      socket.end();
      return;
    }
    const handler = new PGLiteSocketHandler({
      // The handler only calls the queue's public methods, which EmbeddedSession provides.
      queryQueue: session as unknown as ConstructorParameters<typeof PGLiteSocketHandler>[0]['queryQueue'],
      closeOnDetach: true,
    });
    handlers.add(handler);
    const forget = () => handlers.delete(handler);
    handler.addEventListener('close', forget);
    handler.addEventListener('error', forget);
    handler.attach(socket).catch(() => {
      forget();
      socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...handlers].map((handler) => handler.detach(true)));
      handlers.clear();
      await closed;
    },
  };
}

/**
 * PGlite keeps no postmaster.pid, and two processes writing one data directory corrupt it,
 * so a lock file beside the directory records the owning process.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = `${dataDir}.lock`;
  for (let attempt = 0; ; attempt += 1) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const owner = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
        throw new Error(
          `Embedded PostgreSQL data in ${dataDir} is in use by process ${owner}; stop it or set DATA_DIR to another directory`,
        );
      }
      // Left behind by a process that no longer runs.
      await rm(lockPath, { force: true });
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
