import type { DevEventStore } from './store';

type EventSource = Pick<DevEventStore, 'log' | 'streamByNumber' | 'resolveLink'>;

/**
 * Encodes the ReadResp carrying one event straight from its stored record.
 * Reads and catch-ups send every event in the log this way, and building
 * five generated message objects per event costs more than the rest of the
 * read, so the hot path writes the protobuf bytes itself:
 *
 *   ReadResp        { 1: ReadEvent event }
 *   ReadEvent       { 1: RecordedEvent event, 2: RecordedEvent link, 3: uint64 commit_position }
 *   RecordedEvent   { 1: UUID id, 2: StreamIdentifier, 3: uint64 stream_revision,
 *                     4: uint64 prepare_position, 5: uint64 commit_position,
 *                     6: map<string,string> metadata, 7: bytes custom_metadata, 8: bytes data }
 *   UUID            { 2: string value }
 *   StreamIdentifier{ 3: bytes stream_name }
 */
export function encodeEventResponse(store: EventSource, logIndex: number, resolveLinks: boolean): Buffer {
  const original = recordedEventParts(store, logIndex);
  let target: RecordedEventParts | undefined;
  let link: RecordedEventParts | undefined;
  if (resolveLinks && original.isLink) {
    const resolved = store.resolveLink(original.data);
    if (resolved !== undefined) target = recordedEventParts(store, resolved);
    link = original;
  } else {
    target = original;
  }
  const position = store.log.positionAt(logIndex);
  const readEventSize =
    (target ? fieldSize(target.size) : 0) + (link ? fieldSize(link.size) : 0) + 1 + varintSize(position);

  const out = Buffer.allocUnsafe(fieldSize(readEventSize));
  let at = writeTag(out, 0, 1, LENGTH_DELIMITED);
  at = writeVarint(out, at, readEventSize);
  if (target) at = writeRecordedEvent(out, writeVarint(out, writeTag(out, at, 1, LENGTH_DELIMITED), target.size), target);
  if (link) at = writeRecordedEvent(out, writeVarint(out, writeTag(out, at, 2, LENGTH_DELIMITED), link.size), link);
  at = writeVarint(out, writeTag(out, at, 3, VARINT), position);
  return at === out.length ? out : out.subarray(0, at);
}

const VARINT = 0;
const LENGTH_DELIMITED = 2;
const UUID_TEXT_LENGTH = 36;
const HEX = '0123456789abcdef';
const TYPE_KEY = Buffer.from('type');
const CONTENT_TYPE_KEY = Buffer.from('content-type');
const CREATED_KEY = Buffer.from('created');
const JSON_CONTENT = Buffer.from('application/json');
const BINARY_CONTENT = Buffer.from('application/octet-stream');
/** long.MaxValue, the revision of a `$streamDeleted` tombstone, as a varint. */
const TOMBSTONE_REVISION_VARINT = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);

interface RecordedEventParts {
  id: Buffer;
  streamName: Buffer;
  revision: number | undefined;
  position: number;
  type: Buffer;
  contentType: Buffer;
  created: Buffer;
  metadata: Buffer;
  data: Buffer;
  isLink: boolean;
  size: number;
}

function recordedEventParts(store: EventSource, logIndex: number): RecordedEventParts {
  const record = store.log.recordAt(logIndex);
  const streamName = store.streamByNumber(store.log.streamNumberAt(logIndex)).nameBytes;
  const type = record.typeBytes;
  const parts = {
    id: record.id,
    streamName,
    revision: record.isTombstone ? undefined : record.revision,
    position: store.log.positionAt(logIndex),
    type,
    contentType: record.isJson ? JSON_CONTENT : BINARY_CONTENT,
    created: Buffer.from(record.createdTicks, 'latin1'),
    metadata: record.metadata,
    data: record.data,
    isLink: type.length === 2 && type[0] === 0x24 && type[1] === 0x3e,
    size: 0,
  };
  parts.size =
    fieldSize(2 + UUID_TEXT_LENGTH) +
    fieldSize(fieldSize(streamName.length)) +
    1 +
    (parts.revision === undefined ? TOMBSTONE_REVISION_VARINT.length : varintSize(parts.revision)) +
    2 * (1 + varintSize(parts.position)) +
    fieldSize(mapEntrySize(TYPE_KEY, type)) +
    fieldSize(mapEntrySize(CONTENT_TYPE_KEY, parts.contentType)) +
    fieldSize(mapEntrySize(CREATED_KEY, parts.created)) +
    (parts.metadata.length > 0 ? fieldSize(parts.metadata.length) : 0) +
    (parts.data.length > 0 ? fieldSize(parts.data.length) : 0);
  return parts;
}

function writeRecordedEvent(out: Buffer, start: number, parts: RecordedEventParts): number {
  let at = writeTag(out, start, 1, LENGTH_DELIMITED);
  at = writeVarint(out, at, 2 + UUID_TEXT_LENGTH);
  at = writeTag(out, at, 2, LENGTH_DELIMITED);
  at = writeVarint(out, at, UUID_TEXT_LENGTH);
  at = writeUuidText(out, at, parts.id);

  at = writeTag(out, at, 2, LENGTH_DELIMITED);
  at = writeVarint(out, at, fieldSize(parts.streamName.length));
  at = writeBytesField(out, at, 3, parts.streamName);

  at = writeTag(out, at, 3, VARINT);
  if (parts.revision === undefined) at += TOMBSTONE_REVISION_VARINT.copy(out, at);
  else at = writeVarint(out, at, parts.revision);
  at = writeVarint(out, writeTag(out, at, 4, VARINT), parts.position);
  at = writeVarint(out, writeTag(out, at, 5, VARINT), parts.position);

  at = writeMapEntry(out, at, TYPE_KEY, parts.type);
  at = writeMapEntry(out, at, CONTENT_TYPE_KEY, parts.contentType);
  at = writeMapEntry(out, at, CREATED_KEY, parts.created);
  if (parts.metadata.length > 0) at = writeBytesField(out, at, 7, parts.metadata);
  if (parts.data.length > 0) at = writeBytesField(out, at, 8, parts.data);
  return at;
}

function mapEntrySize(key: Buffer, value: Buffer): number {
  return fieldSize(key.length) + fieldSize(value.length);
}

function writeMapEntry(out: Buffer, start: number, key: Buffer, value: Buffer): number {
  let at = writeTag(out, start, 6, LENGTH_DELIMITED);
  at = writeVarint(out, at, mapEntrySize(key, value));
  at = writeBytesField(out, at, 1, key);
  return writeBytesField(out, at, 2, value);
}

/** Size of a length-delimited field (one-byte tag) holding `length` bytes. */
function fieldSize(length: number): number {
  return 1 + varintSize(length) + length;
}

function writeBytesField(out: Buffer, start: number, field: number, bytes: Buffer): number {
  const at = writeVarint(out, writeTag(out, start, field, LENGTH_DELIMITED), bytes.length);
  return at + bytes.copy(out, at);
}

function writeTag(out: Buffer, at: number, field: number, wireType: number): number {
  out[at] = (field << 3) | wireType;
  return at + 1;
}

function varintSize(value: number): number {
  let size = 1;
  for (let rest = value; rest >= 0x80; rest = Math.floor(rest / 0x80)) size += 1;
  return size;
}

function writeVarint(out: Buffer, start: number, value: number): number {
  let at = start;
  let rest = value;
  while (rest >= 0x80) {
    out[at++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  out[at++] = rest;
  return at;
}

function writeUuidText(out: Buffer, start: number, id: Buffer): number {
  let at = start;
  for (let index = 0; index < 16; index += 1) {
    if (index === 4 || index === 6 || index === 8 || index === 10) out[at++] = 0x2d;
    out[at++] = HEX.charCodeAt(id[index] >> 4);
    out[at++] = HEX.charCodeAt(id[index] & 0x0f);
  }
  return at;
}
