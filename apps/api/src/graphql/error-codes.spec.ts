import { domainErrorCodes, type DomainErrorCode } from '@revops/domain';
import { domainErrorCodeMap, publicErrorCodes, transportErrorCodes, type PublicErrorCode } from './error-codes';

describe('The domain error code map', () => {
  it('maps every code the domain can throw', () => {
    expect(Object.keys(domainErrorCodeMap).sort()).toEqual([...domainErrorCodes].sort());
  });

  it('maps only to codes a client may see', () => {
    for (const code of Object.values(domainErrorCodeMap)) {
      expect(publicErrorCodes).toContain(code);
    }
  });

  it('reports every *_NOT_FOUND as NOT_FOUND', () => {
    const notFound = domainErrorCodes.filter((code) => code.endsWith('_NOT_FOUND'));
    expect(notFound.length).toBeGreaterThan(0);
    expect(notFound.map((code) => domainErrorCodeMap[code])).toEqual(notFound.map(() => 'NOT_FOUND'));
  });

  it.each(['INVALID_CURRENCY', 'INVALID_AMOUNT', 'INVALID_TIMESTAMP', 'REQUIRED_FIELD_MISSING', 'VALUE_TOO_LONG'] as const)(
    'reports the value rule %s as BAD_USER_INPUT',
    (code) => expect(domainErrorCodeMap[code]).toBe('BAD_USER_INPUT'),
  );

  it.each(['OPPORTUNITY_ALREADY_CLOSED', 'UNKNOWN_STAGE', 'INVALID_LIFECYCLE_TRANSITION', 'CURRENCY_MISMATCH'] as const)(
    'keeps the business rule %s as its own code',
    (code) => expect(domainErrorCodeMap[code]).toBe(code),
  );

  it('lists each public code once, transport codes included', () => {
    expect(new Set(publicErrorCodes).size).toBe(publicErrorCodes.length);
    expect(publicErrorCodes).toEqual(expect.arrayContaining([...transportErrorCodes]));
  });

  it('does not compile when a code is left out or a target is not public', () => {
    const { UNKNOWN_STAGE: _left, ...withoutOne } = domainErrorCodeMap;
    // @ts-expect-error UNKNOWN_STAGE is missing
    const incomplete: Record<DomainErrorCode, PublicErrorCode> = withoutOne;
    // @ts-expect-error TEAPOT is not a public code
    const unknownTarget: Record<DomainErrorCode, PublicErrorCode> = { ...domainErrorCodeMap, UNKNOWN_STAGE: 'TEAPOT' };
    expect([incomplete, unknownTarget]).toHaveLength(2);
  });
});
