import { batchFormatOf, InvalidBatchError, parseTouchpointBatch } from './touchpoint-batch';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const visit = (n: number) => ({ externalId: `e-${n}`, kind: 'WEB_VISIT' });

describe('Reading a touchpoint batch', () => {
  describe('the Content-Type', () => {
    it.each([
      ['application/json', 'json'],
      ['application/json; charset=utf-8', 'json'],
      ['Application/JSON', 'json'],
      ['application/x-ndjson', 'ndjson'],
      ['application/ndjson', 'ndjson'],
      ['application/jsonl', 'ndjson'],
    ])('reads %s as %s', (contentType, format) => {
      expect(batchFormatOf(contentType)).toBe(format);
    });

    it.each([undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'])('does not read %s', (contentType) => {
      expect(batchFormatOf(contentType)).toBeNull();
    });
  });

  describe('as a JSON array', () => {
    it('gives each element its array index', () => {
      const entries = parseTouchpointBatch(bytes(JSON.stringify([visit(0), 'not an object', visit(2)])), 'json');

      expect(entries).toEqual([
        { index: 0, touchpoint: visit(0) },
        { index: 1, touchpoint: 'not an object' },
        { index: 2, touchpoint: visit(2) },
      ]);
    });

    it('reads an empty array as an empty batch', () => {
      expect(parseTouchpointBatch(bytes('[]'), 'json')).toEqual([]);
    });

    it('refuses malformed JSON, saying where it broke', () => {
      const parse = () => parseTouchpointBatch(bytes('[{"kind": "WEB_VISIT",]'), 'json');

      expect(parse).toThrow(InvalidBatchError);
      expect(parse).toThrow(expect.objectContaining({ code: 'MALFORMED_JSON', message: expect.stringMatching(/^The request body is not valid JSON: .*position/) }));
    });

    it.each([
      ['an object', JSON.stringify(visit(0))],
      ['a string', '"WEB_VISIT"'],
      ['null', 'null'],
    ])('refuses %s, which is not a batch', (_, body) => {
      expect(() => parseTouchpointBatch(bytes(body), 'json')).toThrow(expect.objectContaining({ code: 'NOT_A_BATCH' }));
    });

    it('takes 1,000 touchpoints and refuses 1,001, naming the limit', () => {
      const batch = (count: number) => bytes(JSON.stringify(Array.from({ length: count }, (_, n) => visit(n))));

      expect(parseTouchpointBatch(batch(1000), 'json')).toHaveLength(1000);
      expect(() => parseTouchpointBatch(batch(1001), 'json')).toThrow(
        expect.objectContaining({ code: 'TOO_MANY_ITEMS', limit: 1000, message: expect.stringContaining('at most 1000 touchpoints') }),
      );
    });
  });

  describe('as NDJSON', () => {
    it('gives each line its line number − 1 and refuses a malformed line alone', () => {
      const body = [JSON.stringify(visit(0)), '{"kind": "WEB_VISIT", oops}', JSON.stringify(visit(2))].join('\n');

      expect(parseTouchpointBatch(bytes(body), 'ndjson')).toEqual([
        { index: 0, touchpoint: visit(0) },
        { index: 1, errors: [{ field: null, code: 'MALFORMED_JSON', message: expect.stringMatching(/^Line 2 is not valid JSON: /) }] },
        { index: 2, touchpoint: visit(2) },
      ]);
    });

    it('skips blank lines and the final newline but keeps counting lines', () => {
      const body = `${JSON.stringify(visit(0))}\r\n\r\n   \n${JSON.stringify(visit(3))}\n`;

      expect(parseTouchpointBatch(bytes(body), 'ndjson')).toEqual([
        { index: 0, touchpoint: visit(0) },
        { index: 3, touchpoint: visit(3) },
      ]);
    });

    it('takes 1,000 lines and refuses 1,001', () => {
      const lines = (count: number) => bytes(Array.from({ length: count }, (_, n) => JSON.stringify(visit(n))).join('\n'));

      expect(parseTouchpointBatch(lines(1000), 'ndjson')).toHaveLength(1000);
      expect(() => parseTouchpointBatch(lines(1001), 'ndjson')).toThrow(expect.objectContaining({ code: 'TOO_MANY_ITEMS' }));
    });
  });

  describe('in either format', () => {
    it.each(['json', 'ndjson'] as const)('refuses an empty %s body', (format) => {
      expect(() => parseTouchpointBatch(bytes(''), format)).toThrow(expect.objectContaining({ code: 'EMPTY_BODY' }));
      expect(() => parseTouchpointBatch(undefined, format)).toThrow(expect.objectContaining({ code: 'EMPTY_BODY' }));
    });

    it.each(['json', 'ndjson'] as const)('refuses a %s body that is not UTF-8', (format) => {
      expect(() => parseTouchpointBatch(Buffer.from([0x5b, 0xff, 0xfe, 0x5d]), format)).toThrow(
        expect.objectContaining({ code: 'MALFORMED_JSON', message: 'The request body is not valid UTF-8' }),
      );
    });

    it('ignores a byte-order mark', () => {
      expect(parseTouchpointBatch(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes('[]')]), 'json')).toEqual([]);
    });
  });
});
