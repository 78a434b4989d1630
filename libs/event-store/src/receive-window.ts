import http2 from 'node:http2';

/**
 * How much of the store's answers a connection to it takes in before the client has read
 * them: 4 MB, where HTTP/2 starts every connection and stream at 64 KB. At 64 KB the store
 * can send about a hundred events ahead of the client; whenever the reading thread, the
 * process or the store waits for a core, the read stalls until the store is sent a window
 * update and gets a core to answer it. Rebuilding a million events on two cores (the store,
 * PostgreSQL and the projector on them at once), the catch-up took 28.7 s instead of 33.6 s
 * (1 MB: 30.7–31.5 s; 16 MB: 29.2 s); a read of `$all` alone, 19.6 s instead of 21.4 s.
 */
export const RECEIVE_WINDOW_BYTES = 4 * 1024 * 1024;

type Connect = typeof http2.connect;
type ConnectOptions = http2.ClientSessionOptions | http2.SecureClientSessionOptions;

/** Set on node's http2 module once this thread's connections are widened, to the window they get. */
const WIDENED = Symbol.for('revops.event-store.receive-window');

/**
 * Makes every HTTP/2 connection this thread opens from now on take in `bytes` before it is
 * read, on each stream and over the connection. The EventStoreDB client passes gRPC no channel
 * options of ours (grpc-js would take `grpc-node.flow_control_window`), so the window is set
 * where grpc-js opens its connections: `http2.connect`, which it calls through node's module.
 * A thread's modules are its own: the event store's reading thread widens its own connections.
 * Once per thread; later calls change nothing.
 */
export function widenReceiveWindow(bytes: number = RECEIVE_WINDOW_BYTES): void {
  if (!Number.isInteger(bytes) || bytes < 65_535 || bytes > 2 ** 31 - 1) {
    throw new RangeError(`The receive window must be a whole number of bytes from 65535 to ${2 ** 31 - 1}, not ${bytes}`);
  }
  const module = http2 as unknown as { connect: Connect; [WIDENED]?: number };
  if (module[WIDENED] !== undefined) return;
  const connect = module.connect;
  module.connect = ((authority: string | URL, options?: ConnectOptions | ((...args: unknown[]) => void), listener?: (...args: unknown[]) => void) => {
    const given = typeof options === 'function' ? undefined : options;
    const onConnect = typeof options === 'function' ? options : listener;
    const initialWindowSize = Math.max(given?.settings?.initialWindowSize ?? 0, bytes);
    const session = connect(authority, { ...given, settings: { ...given?.settings, initialWindowSize } }, onConnect);
    // The connection's own window, beside each stream's: the SETTINGS above only set the streams'.
    session.once('connect', () => {
      if (!session.destroyed) session.setLocalWindowSize(bytes);
    });
    return session;
  }) as Connect;
  module[WIDENED] = bytes;
}
