import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { toCallError } from './error-responses';
import { shared, streams } from './protocol';
import { toExpectedRevision, toStreamName } from './proposed-events';
import type { DevEventStore } from './store';

export class DeleteService {
  constructor(private readonly store: DevEventStore) {}

  /** Streams.Delete: a soft delete. */
  delete(call: ServerUnaryCall<streams.DeleteReq, streams.DeleteResp>, respond: sendUnaryData<streams.DeleteResp>): void {
    this.run(call.request.getOptions(), (name, expected) => this.store.softDelete(name, expected)).then(
      (position) => {
        const response = new streams.DeleteResp();
        const at = new streams.DeleteResp.Position();
        at.setCommitPosition(String(position)).setPreparePosition(String(position));
        respond(null, response.setPosition(at));
      },
      (error: unknown) => respond(toCallError(error)),
    );
  }

  /** Streams.Tombstone: a hard delete. */
  tombstone(
    call: ServerUnaryCall<streams.TombstoneReq, streams.TombstoneResp>,
    respond: sendUnaryData<streams.TombstoneResp>,
  ): void {
    this.run(call.request.getOptions(), (name, expected) => this.store.tombstone(name, expected)).then(
      (position) => {
        const response = new streams.TombstoneResp();
        const at = new streams.TombstoneResp.Position();
        at.setCommitPosition(String(position)).setPreparePosition(String(position));
        respond(null, response.setPosition(at));
      },
      (error: unknown) => respond(toCallError(error)),
    );
  }

  private async run(
    options: streams.DeleteReq.Options | streams.TombstoneReq.Options | undefined,
    operation: (name: string, expected: ReturnType<typeof toExpectedRevision>) => Promise<number>,
  ): Promise<number> {
    const { name } = toStreamName(options?.getStreamIdentifier() ?? new shared.StreamIdentifier());
    return operation(name, toExpectedRevision(options!));
  }
}
