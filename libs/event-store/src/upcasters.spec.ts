import { EventSchemaError } from './errors';
import { UpcasterRegistry, type UpcastContext } from './upcasters';

interface LeadCapturedV1 {
  name: string;
}
interface LeadCapturedV2 {
  firstName: string;
  lastName: string;
}
interface LeadCapturedV3 extends LeadCapturedV2 {
  capturedAt: string;
}

const context = (type = 'LeadCaptured'): UpcastContext => ({
  type,
  streamName: 'contact-1',
  metadata: { occurredAt: '2024-03-01T09:00:00.000Z' },
});

const leadCaptured = {
  type: 'LeadCaptured',
  currentVersion: 3,
  upcasters: {
    1: (v1: LeadCapturedV1): LeadCapturedV2 => {
      const [firstName, ...rest] = v1.name.split(' ');
      return { firstName, lastName: rest.join(' ') };
    },
    2: (v2: LeadCapturedV2, ctx: UpcastContext): LeadCapturedV3 => ({ ...v2, capturedAt: String(ctx.metadata.occurredAt) }),
  },
};

describe('UpcasterRegistry', () => {
  const registry = new UpcasterRegistry([leadCaptured]);

  it('brings a v1 event through every step of the chain to the current shape', () => {
    expect(registry.upcast(1, { name: 'Ada Lovelace King' }, context())).toEqual({
      firstName: 'Ada',
      lastName: 'Lovelace King',
      capturedAt: '2024-03-01T09:00:00.000Z',
    });
  });

  it('starts the chain at the stored version', () => {
    expect(registry.upcast(2, { firstName: 'Ada', lastName: 'King' }, context())).toEqual({
      firstName: 'Ada',
      lastName: 'King',
      capturedAt: '2024-03-01T09:00:00.000Z',
    });
  });

  it('leaves an event stored at the current version untouched', () => {
    const current = { firstName: 'Ada', lastName: 'King', capturedAt: '2024-01-01T00:00:00.000Z' };
    expect(registry.upcast(3, current, context())).toBe(current);
  });

  it('reports the current version of a registered type, and 1 for any other', () => {
    expect(registry.currentVersion('LeadCaptured')).toBe(3);
    expect(registry.currentVersion('SomethingElse')).toBe(1);
  });

  it('passes events of unregistered types through, whatever their version', () => {
    const data = { any: 'thing' };
    expect(registry.upcast(7, data, context('ForeignEvent'))).toBe(data);
  });

  it('refuses an event written by a newer release', () => {
    expect(() => registry.upcast(4, {}, context())).toThrow(EventSchemaError);
    expect(() => registry.upcast(4, {}, context())).toThrow(/stored at v4, but this build only knows up to v3/);
  });

  it('refuses an event whose chain has a gap', () => {
    const gappy = new UpcasterRegistry([{ type: 'StageChanged', currentVersion: 3, upcasters: { 2: (d: object) => d } }]);
    expect(() => gappy.upcast(1, {}, context('StageChanged'))).toThrow(/no upcaster takes v1 to v2/);
  });

  it('refuses a schema version that is not a positive integer', () => {
    expect(() => registry.upcast(0, {}, context())).toThrow(
      expect.objectContaining({ code: 'EVENT_SCHEMA', problem: 'invalid_version' }),
    );
  });

  it('names the failing step when an upcaster throws', () => {
    expect(() => registry.upcast(1, { name: 42 }, context())).toThrow(
      expect.objectContaining({ problem: 'upcaster_failed', message: expect.stringMatching(/from v1 to v2 failed/) }),
    );
  });

  describe('when registering', () => {
    it('rejects a type registered twice', () => {
      expect(() => new UpcasterRegistry([leadCaptured, leadCaptured])).toThrow(/already registered/);
    });

    it('rejects an upcaster beyond the current version', () => {
      expect(() => new UpcasterRegistry([{ type: 'X', currentVersion: 2, upcasters: { 2: (d: object) => d } }])).toThrow(
        /outside 1\.\.1/,
      );
    });

    it('rejects a current version below 1', () => {
      expect(() => new UpcasterRegistry([{ type: 'X', currentVersion: 0 }])).toThrow(/positive integer/);
    });
  });
});
