import { mkdir } from 'node:fs/promises';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { AppendService } from './append.service';
import { DeleteService } from './delete.service';
import { ServerFeaturesService } from './server-features.service';
import { ServerFeaturesService as ServerFeaturesDefinition, StreamsService, type streams } from './protocol';
import { failCall, ReadService, type ReadCall } from './read.service';
import { lockDataDir } from './data-dir-lock';
import { DevEventStore } from './store';
import { SubscriptionService } from './subscriptions';
import { BadRequestError } from './errors';
import { sendBufferedTogether } from './backpressure';

/** The ≤24.10 default. */
export const DEFAULT_MAX_APPEND_SIZE = 1024 * 1024;

export interface EventStoreDevServerOptions {
  dataDir: string;
  /** 0 picks an ephemeral port. */
  port?: number;
  host?: string;
  maxAppendSize?: number;
  logger?: (line: object) => void;
}

export interface EventStoreDevServer {
  port: number;
  /** esdb://host:port?tls=false */
  connectionString: string;
  close(): Promise<void>;
}

export async function startEventStoreDevServer(options: EventStoreDevServerOptions): Promise<EventStoreDevServer> {
  const host = options.host ?? '127.0.0.1';
  const log = options.logger ?? (() => undefined);
  const maxAppendSize = options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE;

  await mkdir(options.dataDir, { recursive: true });
  const releaseDataDir = await lockDataDir(options.dataDir);
  const { store, recovery } = await DevEventStore.open(options.dataDir).catch(async (error: unknown) => {
    await releaseDataDir();
    throw error;
  });
  if (recovery.truncatedBytes > 0) {
    log({ level: 'warn', msg: 'torn write cut off the end of the journal', bytes: recovery.truncatedBytes });
  }

  const appends = new AppendService(store, maxAppendSize);
  const deletes = new DeleteService(store);
  const reads = new ReadService(store);
  const subscriptions = new SubscriptionService(store);
  const features = new ServerFeaturesService();

  const server = new Server({ 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
  server.addService(streamsServiceWithEncodedEvents(), {
    read: (call: ReadCall) => {
      sendBufferedTogether(call);
      const readOptions = call.request.getOptions();
      const handled = !readOptions
        ? Promise.reject(new BadRequestError('Read options are required'))
        : readOptions.hasSubscription()
          ? subscriptions.subscribe(call, readOptions)
          : reads.read(call, readOptions);
      handled.catch((error: unknown) => failCall(call, error));
    },
    append: appends.append.bind(appends),
    batchAppend: appends.batchAppend.bind(appends),
    delete: deletes.delete.bind(deletes),
    tombstone: deletes.tombstone.bind(deletes),
  });
  server.addService(ServerFeaturesDefinition, {
    getSupportedMethods: features.getSupportedMethods.bind(features),
  });

  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`${host}:${options.port ?? 0}`, ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
  } catch (error) {
    await store.close();
    await releaseDataDir();
    throw error;
  }
  log({
    level: 'info',
    msg: 'listening',
    connectionString: `esdb://${host}:${port}?tls=false`,
    dataDir: options.dataDir,
    events: store.durableCount,
    journalBytes: recovery.bytes,
    maxAppendSize,
  });

  let closing: Promise<void> | undefined;
  return {
    port,
    connectionString: `esdb://${host}:${port}?tls=false`,
    close: () => {
      // Live subscriptions never end on their own, so calls are cut rather
      // than drained; every acknowledged append is already on disk.
      closing ??= (async () => {
        server.forceShutdown();
        await store.close();
        await releaseDataDir();
        log({ level: 'info', msg: 'stopped' });
      })();
      return closing;
    },
  };
}

/** The Streams service, with Read also accepting responses already encoded to bytes. */
function streamsServiceWithEncodedEvents(): typeof StreamsService {
  const serializeMessage = StreamsService.read.responseSerialize;
  const responseSerialize = (response: streams.ReadResp | Buffer): Buffer =>
    Buffer.isBuffer(response) ? response : serializeMessage(response);
  return { ...StreamsService, read: { ...StreamsService.read, responseSerialize } } as typeof StreamsService;
}
