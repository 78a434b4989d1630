import { gridWeights, minorUnits, sharesOf, splitMinorUnits } from './money';
import { refusal } from './testing/builders';

describe('splitMinorUnits', () => {
  it('floors each part and gives what is left to the largest weight', () => {
    expect(splitMinorUnits(10, [1n, 2n])).toEqual([3, 7]);
  });

  it('gives what is left to the earliest of equal largest weights', () => {
    expect(splitMinorUnits(100, [1n, 1n, 1n])).toEqual([34, 33, 33]);
    expect(splitMinorUnits(5, [1n, 3n, 3n])).toEqual([0, 3, 2]);
  });

  it('stays exact for the largest safe amount, where floats would not', () => {
    const parts = splitMinorUnits(Number.MAX_SAFE_INTEGER, [1n, 1n, 1n]);

    expect(parts).toEqual([3_002_399_751_580_331, 3_002_399_751_580_330, 3_002_399_751_580_330]);
    expect(parts.reduce((sum, part) => BigInt(part) + sum, 0n)).toBe(BigInt(Number.MAX_SAFE_INTEGER));
  });

  it('gives nothing to a zero weight', () => {
    expect(splitMinorUnits(99, [0n, 5n, 0n])).toEqual([0, 99, 0]);
  });
});

describe('sharesOf', () => {
  it('divides even when the denominator is too large for a float', () => {
    const total = 3n << 2_000n;

    expect(sharesOf([1n << 2_000n, 2n << 2_000n], total)).toEqual([1 / 3, 2 / 3]);
  });
});

describe('gridWeights', () => {
  it('scales weights to integers relative to the largest', () => {
    expect(gridWeights([0.5, 1, 0])).toEqual([2n ** 51n, 2n ** 52n, 0n]);
  });

  it('treats all-zero weights as equal', () => {
    expect(gridWeights([0, 0])).toEqual([1n, 1n]);
  });
});

describe('minorUnits', () => {
  it('takes whole numbers and safe bigints', () => {
    expect([minorUnits(0, 'amount'), minorUnits(12_345n, 'amount')]).toEqual([0, 12_345]);
  });

  it.each([10.5, -1, Number.MAX_SAFE_INTEGER + 1, '100', 2n ** 60n])('refuses %p', (value) => {
    expect(() => minorUnits(value, 'amountMinor')).toThrow(refusal({ field: 'amountMinor', message: 'amountMinor must be an integer from 0 to 2^53 - 1 in minor units' }));
  });
});
