import { createRequire } from 'node:module';
import type * as AnyModule from 'google-protobuf/google/protobuf/any_pb';
import type * as EmptyModule from 'google-protobuf/google/protobuf/empty_pb';

export * as streams from '@eventstore/db-client/generated/streams_pb';
export * as shared from '@eventstore/db-client/generated/shared_pb';
export * as status from '@eventstore/db-client/generated/status_pb';
export { Code } from '@eventstore/db-client/generated/code_pb';
export * as serverFeatures from '@eventstore/db-client/generated/serverfeatures_pb';
export { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
export { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';

// The generated messages are bound to the google-protobuf copy the client
// resolves (it may be nested under the client package), so the well-known
// types have to come from that same copy.
const requireFromGenerated = createRequire(require.resolve('@eventstore/db-client/generated/shared_pb.js'));

export const { Any } = requireFromGenerated('google-protobuf/google/protobuf/any_pb.js') as typeof AnyModule;
export const { Empty: GoogleEmpty } = requireFromGenerated(
  'google-protobuf/google/protobuf/empty_pb.js',
) as typeof EmptyModule;
