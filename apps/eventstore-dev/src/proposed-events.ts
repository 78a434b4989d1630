import { BadRequestError } from './errors';
import { MAX_NAME_BYTES, type NewEvent } from './event-record';
import { ANY, exactly, NO_STREAM, STREAM_EXISTS, type ExpectedRevision } from './expected-revision';
import type { shared, streams } from './protocol';
import { parseUuid, uuidFromParts } from './uuid';

type ProposedMessage = streams.AppendReq.ProposedMessage | streams.BatchAppendReq.ProposedMessage;

export function toNewEvent(message: ProposedMessage): NewEvent {
  const id = toEventId(message.getId());
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  const contentType = metadata.get('content-type');
  if (type === undefined) throw new BadRequestError('Event type is required');
  if (contentType === undefined) throw new BadRequestError('Content type is required');
  if (Buffer.byteLength(type) > MAX_NAME_BYTES) throw new BadRequestError('Event type is too long');
  return {
    id,
    type,
    isJson: contentType === 'application/json',
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
}

/** What an event counts against the maximum append size, as the server measures it. */
export function appendSize(event: NewEvent): number {
  return event.data.length + event.metadata.length + 2 * event.type.length;
}

export function toEventId(uuid: shared.UUID | undefined): Buffer {
  if (uuid?.hasStructured()) {
    const structured = uuid.getStructured()!;
    return uuidFromParts(structured.getMostSignificantBits(), structured.getLeastSignificantBits());
  }
  const id = parseUuid(uuid?.getString() ?? '');
  if (!id) throw new BadRequestError(`Invalid event id "${uuid?.getString() ?? ''}"`);
  return id;
}

export function toStreamName(identifier: shared.StreamIdentifier | undefined): { name: string; bytes: Buffer } {
  const bytes = Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array());
  if (bytes.length === 0) throw new BadRequestError('Stream name is required');
  if (bytes.length > MAX_NAME_BYTES) throw new BadRequestError('Stream name is too long');
  return { name: bytes.toString('utf8'), bytes };
}

export function toExpectedRevision(
  options: streams.AppendReq.Options | streams.DeleteReq.Options | streams.TombstoneReq.Options,
): ExpectedRevision {
  if (options.hasRevision()) return exactly(toRevision(options.getRevision()));
  if (options.hasNoStream()) return NO_STREAM;
  if (options.hasStreamExists()) return STREAM_EXISTS;
  return ANY;
}

export function toBatchExpectedRevision(options: streams.BatchAppendReq.Options): ExpectedRevision {
  if (options.hasStreamPosition()) return exactly(toRevision(options.getStreamPosition()));
  if (options.hasNoStream()) return NO_STREAM;
  if (options.hasStreamExists()) return STREAM_EXISTS;
  return ANY;
}

function toRevision(text: string): number {
  const revision = Number(text);
  if (!Number.isSafeInteger(revision) || revision < 0) throw new BadRequestError(`Invalid revision ${text}`);
  return revision;
}
