import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { serverFeatures, type shared } from './protocol';

/** The server version the dev server's behaviour follows (1 MiB maximum append size). */
export const EMULATED_SERVER_VERSION = '24.10.0';

const STREAMS = 'event_store.client.streams.streams';

/** What the dev server implements; persistent subscriptions are left out on purpose. */
const SUPPORTED_METHODS: { service: string; method: string; features: string[] }[] = [
  { service: STREAMS, method: 'read', features: ['position', 'events'] },
  { service: STREAMS, method: 'append', features: [] },
  { service: STREAMS, method: 'batchappend', features: ['deadline_duration'] },
  { service: STREAMS, method: 'delete', features: [] },
  { service: STREAMS, method: 'tombstone', features: [] },
  { service: 'event_store.client.server_features.serverfeatures', method: 'getsupportedmethods', features: [] },
];

export class ServerFeaturesService {
  getSupportedMethods(
    _call: ServerUnaryCall<shared.Empty, serverFeatures.SupportedMethods>,
    respond: sendUnaryData<serverFeatures.SupportedMethods>,
  ): void {
    const supported = new serverFeatures.SupportedMethods();
    supported.setEventStoreServerVersion(EMULATED_SERVER_VERSION);
    for (const { service, method, features } of SUPPORTED_METHODS) {
      const entry = new serverFeatures.SupportedMethod();
      entry.setServiceName(service).setMethodName(method).setFeaturesList(features);
      supported.addMethods(entry);
    }
    respond(null, supported);
  }
}
