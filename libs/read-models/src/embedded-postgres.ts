import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/*
 * PGlite is PostgreSQL compiled to WebAssembly: one backend, one session. pglite-socket
 * serves it over the wire protocol; how it behaves with several clients (measured with
 * @electric-sql/pglite-socket 0.2.17 and pg 8):
 *
 * - With its default `maxConnections: 1`, a second TCP connection is refused outright
 *   (pg reports "Connection terminated unexpectedly").
 * - With a higher limit, every protocol message of every connection goes through one
 *   queue into the single backend. 2,000 concurrent parameterised queries over four
 *   connections all came back with their own results.
 * - While one connection has a transaction open, messages of the other connections
 *   wait in that queue until it commits or rolls back: a query on connection B issued
 *   inside a transaction of connection A stayed pending until A committed. Code that waits
 *   on a second connection inside a transaction therefore never returns.
 * - A client that disconnects mid-transaction gets it rolled back; cancel requests are
 *   ignored, and the user name and password are not checked.
 *
 * So the read store's own pool uses one connection against embedded PostgreSQL (see
 * readStoreDataSourceOptions), and the server admits a few more so that a test or psql
 * can look at the data while the api runs.
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
    const server = new PGLiteSocketServer({
      db,
      host,
      port: options.port ?? 0,
      maxConnections: options.maxConnections ?? 8,
    });
    await server.start();
    const port = Number(server.getServerConn().split(':').pop());

    const pglite = db;
    let stopping: Promise<void> | undefined;
    const stop = async () => {
      await server.stop();
      // server.stop() detaches its clients without waiting; a detach may still roll back a
      // transaction its client left open, so it gets a turn before PGlite closes.
      await new Promise((resolve) => setImmediate(resolve));
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
