import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { RECEIVE_WINDOW_BYTES, widenReceiveWindow } from './receive-window';

describe('widenReceiveWindow', () => {
  let server: http2.Http2Server;
  let url: string;
  const settingsSeen: number[] = [];

  beforeAll(async () => {
    server = http2.createServer();
    server.on('session', (session) => session.on('remoteSettings', (settings) => settingsSeen.push(settings.initialWindowSize ?? 65_535)));
    server.on('stream', (stream) => stream.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    widenReceiveWindow();
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** Connects (with `connect`, as a library calls it), waits for the connection, and answers its session. */
  async function connected(connect: () => http2.ClientHttp2Session): Promise<http2.ClientHttp2Session> {
    settingsSeen.length = 0;
    const session = connect();
    await new Promise<void>((resolve, reject) => {
      session.once('connect', () => resolve());
      session.once('error', reject);
    });
    // The server has the client's settings once it has answered a request.
    await new Promise<void>((resolve, reject) => {
      const request = session.request({ ':path': '/' });
      request.on('error', reject);
      request.resume();
      request.on('end', resolve);
    });
    return session;
  }

  it("asks the server for a stream window of its size, and sets the connection's own", async () => {
    const session = await connected(() => http2.connect(url));
    try {
      expect(settingsSeen).toEqual([RECEIVE_WINDOW_BYTES]);
      expect(session.localSettings.initialWindowSize).toBe(RECEIVE_WINDOW_BYTES);
      // Less the two bytes of the answer, which the connection has not handed back yet.
      expect(session.state.localWindowSize).toBe(RECEIVE_WINDOW_BYTES - 'ok'.length);
    } finally {
      session.close();
    }
  });

  it('keeps the settings and listener a caller gives, and a larger window it asks for', async () => {
    const listened: string[] = [];
    const larger = 2 * RECEIVE_WINDOW_BYTES;
    const session = await connected(() => http2.connect(url, { settings: { enablePush: false, initialWindowSize: larger } }, () => listened.push('connected')));
    try {
      expect(listened).toEqual(['connected']);
      expect(session.localSettings.enablePush).toBe(false);
      expect(settingsSeen).toEqual([larger]);
    } finally {
      session.close();
    }
  });

  it('takes a listener in place of the options', async () => {
    const listened: string[] = [];
    const session = await connected(() => http2.connect(url, () => listened.push('connected')));
    try {
      expect(listened).toEqual(['connected']);
      expect(settingsSeen).toEqual([RECEIVE_WINDOW_BYTES]);
    } finally {
      session.close();
    }
  });

  it('refuses a window HTTP/2 cannot have, naming the rule', () => {
    expect(() => widenReceiveWindow(1_000)).toThrow('The receive window must be a whole number of bytes from 65535 to 2147483647, not 1000');
    expect(() => widenReceiveWindow(2 ** 31)).toThrow('not 2147483648');
    expect(() => widenReceiveWindow(1.5e6 + 0.5)).toThrow('not 1500000.5');
  });
});
