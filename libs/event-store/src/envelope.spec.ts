import { comparePositions, isSystemEventType, metadataFrom, toBigInt, toPosition, toUtcIso } from './envelope';
import { InvalidEventError } from './errors';

describe('toBigInt', () => {
  it('keeps bigints and converts safe numbers and decimal strings', () => {
    expect(toBigInt(5n)).toBe(5n);
    expect(toBigInt(5)).toBe(5n);
    expect(toBigInt('18446744073709551615')).toBe(18446744073709551615n);
  });

  it('refuses a number that has already lost precision', () => {
    expect(() => toBigInt(2 ** 60, 'commit position')).toThrow(/commit position .* is not a safe integer/);
  });

  it('refuses a string that is not an integer', () => {
    expect(() => toBigInt('12.5')).toThrow(RangeError);
  });
});

describe('toPosition', () => {
  it('normalises positions delivered as numbers to bigints', () => {
    expect(toPosition({ commit: 1107, prepare: '1107' })).toEqual({ commit: 1107n, prepare: 1107n });
  });
});

describe('comparePositions', () => {
  it('orders by commit, then prepare', () => {
    expect(comparePositions({ commit: 1n, prepare: 1n }, { commit: 2n, prepare: 0n })).toBe(-1);
    expect(comparePositions({ commit: 2n, prepare: 3n }, { commit: 2n, prepare: 2n })).toBe(1);
    expect(comparePositions({ commit: 2n, prepare: 2n }, { commit: 2n, prepare: 2n })).toBe(0);
  });
});

describe('toUtcIso', () => {
  it('converts a zoned time to UTC', () => {
    expect(toUtcIso('2024-05-02T12:00:00+02:00')).toBe('2024-05-02T10:00:00.000Z');
    expect(toUtcIso(new Date(Date.UTC(2024, 4, 2, 10)))).toBe('2024-05-02T10:00:00.000Z');
  });

  it('refuses a time without a zone, which would be read as server-local', () => {
    expect(() => toUtcIso('2024-05-02T10:00:00')).toThrow(InvalidEventError);
  });

  it('refuses an invalid date', () => {
    expect(() => toUtcIso(new Date('nope'))).toThrow(/not a valid date/);
  });
});

describe('metadataFrom', () => {
  it('maps a command context onto the stored metadata keys', () => {
    expect(
      metadataFrom({
        correlationId: 'corr-1',
        causationId: 'cmd-1',
        actor: { type: 'integration', id: 'hubspot' },
        source: 'crm-webhook',
        occurredAt: '2024-05-02T10:00:00Z',
      }),
    ).toEqual({
      $correlationId: 'corr-1',
      $causationId: 'cmd-1',
      actor: { type: 'integration', id: 'hubspot' },
      source: 'crm-webhook',
      occurredAt: '2024-05-02T10:00:00.000Z',
    });
  });
});

describe('isSystemEventType', () => {
  it('recognises the store’s own $-prefixed types', () => {
    expect(isSystemEventType('$metadata')).toBe(true);
    expect(isSystemEventType('$>')).toBe(true);
    expect(isSystemEventType('LeadCaptured')).toBe(false);
  });
});
