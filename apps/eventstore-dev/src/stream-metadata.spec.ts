import { isSoftDeleted, parseStreamMetadata, SOFT_DELETE_METADATA, undeleteMetadata } from './stream-metadata';

const parse = (json: string) => parseStreamMetadata(Buffer.from(json));

describe('stream metadata', () => {
  it('reads $maxCount, $maxAge and $tb', () => {
    expect(parse('{"$maxCount":3,"$maxAge":60,"$tb":2,"owner":"x"}')).toMatchObject({
      maxCount: 3,
      maxAgeSeconds: 60,
      truncateBefore: 2,
    });
  });

  it('ignores values that are not positive numbers and metadata that is not an object', () => {
    expect(parse('{"$maxCount":0,"$maxAge":"60","$tb":-1}')).toMatchObject({
      maxCount: undefined,
      maxAgeSeconds: undefined,
      truncateBefore: undefined,
    });
    expect(parse('not json')).toEqual({ raw: {} });
    expect(parse('[1,2]')).toEqual({ raw: {} });
  });

  it('recognises the soft-delete marker although JSON rounds long.MaxValue', () => {
    expect(isSoftDeleted(parse(SOFT_DELETE_METADATA))).toBe(true);
    expect(isSoftDeleted(parse('{"$tb":5}'))).toBe(false);
    expect(isSoftDeleted(undefined)).toBe(false);
  });

  it('undeletes by moving $tb to the first new revision and keeping the other keys', () => {
    const revived = undeleteMetadata(parse('{"$tb":9223372036854775807,"owner":"x"}'), 4);
    expect(JSON.parse(revived.toString())).toEqual({ $tb: 4, owner: 'x' });
  });
});
