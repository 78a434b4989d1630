import { encodeRecord, recordSize, type NewEvent } from './event-record';
import { EventLog } from './event-log';
import { encodeEventResponse } from './event-response';
import { streams } from './protocol';
import { StreamTable } from './stream-log';
import { parseUuid } from './uuid';

const CREATED = { createdMs: 1_767_225_600_123, createdSubTicks: 4567 };

function event(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    id: parseUuid('5B2A9E0C-6F1D-4C3B-9A8E-7D6C5B4A3F21')!,
    type: 'StageChanged',
    isJson: true,
    data: Buffer.from('{"stage":"proposal"}'),
    metadata: Buffer.from('{"$correlationId":"c-1"}'),
    ...overrides,
  };
}

function storeWith(records: { stream: string; revision: number; event: NewEvent; tombstone?: boolean }[], at = 24) {
  const log = new EventLog();
  const streams = new StreamTable();
  const names = records.map(({ stream }) => Buffer.from(stream));
  const payload = Buffer.alloc(records.reduce((size, record, index) => size + recordSize(names[index], record.event), 0));
  records.reduce(
    (offset, record, index) =>
      encodeRecord(payload, offset, {
        streamName: names[index],
        revision: record.revision,
        tombstone: record.tombstone ?? false,
        ...CREATED,
        event: record.event,
      }),
    0,
  );
  log.appendCommit(
    payload,
    at,
    records.map(({ stream }) => streams.getOrCreate(stream).number),
  );
  return {
    log,
    streamByNumber: (number: number) => streams.byStreamNumber(number),
    resolveLink: (data: Buffer) => (data.toString() === '0@target' ? 0 : undefined),
  };
}

const decode = (bytes: Buffer) => streams.ReadResp.deserializeBinary(bytes).toObject().event!;

describe('encoding an event for a read', () => {
  it('decodes with the generated ReadResp into every field the client reads', () => {
    const store = storeWith([{ stream: 'opportunity-42', revision: 7, event: event() }]);
    const { event: recorded, commitPosition, link } = decode(encodeEventResponse(store, 0, false));
    expect(link).toBeUndefined();
    expect(commitPosition).toBe('24');
    expect(recorded).toEqual({
      id: { string: '5b2a9e0c-6f1d-4c3b-9a8e-7d6c5b4a3f21' },
      streamIdentifier: { streamName: Buffer.from('opportunity-42').toString('base64') },
      streamRevision: '7',
      preparePosition: '24',
      commitPosition: '24',
      metadataMap: [
        ['content-type', 'application/json'],
        ['created', '17672256001234567'],
        ['type', 'StageChanged'],
      ],
      customMetadata: Buffer.from('{"$correlationId":"c-1"}').toString('base64'),
      data: Buffer.from('{"stage":"proposal"}').toString('base64'),
    });
  });

  it('writes positions and revisions beyond 32 bits exactly', () => {
    const store = storeWith([{ stream: 's', revision: 2 ** 40 + 3, event: event() }], 2 ** 45 + 17);
    const { event: recorded, commitPosition } = decode(encodeEventResponse(store, 0, false));
    expect(recorded!.streamRevision).toBe(String(2 ** 40 + 3));
    expect(commitPosition).toBe(String(2 ** 45 + 17));
  });

  it('gives a tombstone the maximum revision and binary content', () => {
    const tombstone = event({ type: '$streamDeleted', isJson: false, data: Buffer.alloc(0), metadata: Buffer.alloc(0) });
    const store = storeWith([{ stream: 'deal-1', revision: -1, event: tombstone, tombstone: true }]);
    const { event: recorded } = decode(encodeEventResponse(store, 0, false));
    expect(recorded!.streamRevision).toBe('9223372036854775807');
    expect(recorded!.metadataMap).toContainEqual(['content-type', 'application/octet-stream']);
    expect(recorded!.data).toBe('');
  });

  it('puts a resolved link in `link` and its target in `event`', () => {
    const link = event({ type: '$>', isJson: false, data: Buffer.from('0@target'), metadata: Buffer.alloc(0) });
    const store = storeWith([
      { stream: 'target', revision: 0, event: event() },
      { stream: '$ce-target', revision: 0, event: link },
    ]);
    const resolved = decode(encodeEventResponse(store, 1, true));
    expect(resolved.event!.streamIdentifier!.streamName).toBe(Buffer.from('target').toString('base64'));
    expect(resolved.link!.streamIdentifier!.streamName).toBe(Buffer.from('$ce-target').toString('base64'));
    expect(resolved.commitPosition).toBe(resolved.link!.commitPosition);
  });

  it('leaves `event` empty for a link whose target is gone', () => {
    const link = event({ type: '$>', isJson: false, data: Buffer.from('3@gone'), metadata: Buffer.alloc(0) });
    const store = storeWith([{ stream: 'links', revision: 0, event: link }]);
    const resolved = decode(encodeEventResponse(store, 0, true));
    expect(resolved.event).toBeUndefined();
    expect(resolved.link!.metadataMap).toContainEqual(['type', '$>']);
  });
});
