import { Kind } from 'graphql';
import { SafeIntScalar } from './safe-int.scalar';

describe('SafeInt', () => {
  it.each([0, 2_147_483_648, Number.MAX_SAFE_INTEGER, -42])('carries %d exactly', (value) => {
    expect(SafeIntScalar.parseValue(value)).toBe(value);
    expect(SafeIntScalar.serialize(value)).toBe(value);
  });

  it.each([Number.MAX_SAFE_INTEGER + 1, 12.5, '100', null, Number.NaN])('refuses %p', (value) => {
    expect(() => SafeIntScalar.parseValue(value)).toThrow(/SafeInt cannot represent/);
  });

  it('reads an integer literal beyond 32 bits', () => {
    expect(SafeIntScalar.parseLiteral({ kind: Kind.INT, value: '2500000000' })).toBe(2_500_000_000);
  });

  it('refuses a literal that is not an integer', () => {
    expect(() => SafeIntScalar.parseLiteral({ kind: Kind.STRING, value: '12' })).toThrow(/SafeInt cannot represent "12"/);
    expect(() => SafeIntScalar.parseLiteral({ kind: Kind.INT, value: '9007199254740993' })).toThrow(/SafeInt cannot represent/);
  });
});
