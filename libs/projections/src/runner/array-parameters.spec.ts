import { arrayParameter, arrayParameters } from './array-parameters';

describe('arrayParameter', () => {
  it('writes arrays of strings, numbers, booleans and nulls as array literals', () => {
    expect(arrayParameter(['a', 'b c', '', 'NULL'])).toBe('{"a","b c","","NULL"}');
    expect(arrayParameter([1, -2.5, 0, null, undefined])).toBe('{1,-2.5,0,null,null}');
    expect(arrayParameter([true, false])).toBe('{true,false}');
    expect(arrayParameter([])).toBe('{}');
  });

  it('keeps quotes, backslashes, braces and commas inside the quoted element', () => {
    expect(arrayParameter(['say "hi"', 'C:\\dir', '{x,y}', 'a\\nb'])).toBe('{"say \\"hi\\"","C:\\\\dir","{x,y}","a\\\\nb"}');
  });

  it('leaves to the driver what JSON would escape differently, and anything not a plain value', () => {
    const cases: unknown[][] = [['line\nbreak'], ['\ud800'], [Number.NaN], [Infinity], [10n], [new Date(0)], [['nested']], [{ a: 1 }], ['\\\ttab']];
    for (const array of cases) expect(arrayParameter(array)).toBe(array);
  });

  it('passes everything else through as it is', () => {
    const date = new Date(0);
    expect(arrayParameters(['text', 3, null, date, ['x']])).toEqual(['text', 3, null, date, '{"x"}']);
    expect(arrayParameters(undefined)).toBeUndefined();
  });
});
