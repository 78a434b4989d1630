import { createHash } from 'node:crypto';
import { chainEvents, computeEventHash, verifyChain, type ChainedEvent } from './hash-chain';

const metadata = (overrides: Record<string, unknown> = {}) => ({
  $correlationId: 'corr-1',
  $causationId: 'cmd-1',
  actor: { type: 'user' as const, id: 'u-7' },
  source: 'api',
  occurredAt: '2024-05-02T10:00:00.000Z',
  schemaVersion: 1,
  ...overrides,
});

const opened = { type: 'OpportunityOpened', data: { amount: 120000, currency: 'EUR', stage: 'discovery' }, metadata: metadata() };
const staged = { type: 'StageChanged', data: { from: 'discovery', to: 'proposal' }, metadata: metadata({ $causationId: 'cmd-2' }) };
const won = { type: 'ClosedWon', data: { amount: 125000 }, metadata: metadata({ $causationId: 'cmd-3' }) };

function chained(): ChainedEvent[] {
  return chainEvents('opportunity-1', [opened, staged, won], null).map((event, index) => ({
    ...event,
    streamName: 'opportunity-1',
    revision: BigInt(index),
    eventId: `00000000-0000-4000-8000-00000000000${index}`,
  }));
}

describe('computeEventHash', () => {
  it('is sha256 over the RFC 8785 canonical JSON of stream, type, data and metadata', () => {
    const event = {
      streamName: 'campaign-9',
      type: 'CampaignSpendRecorded',
      data: { currency: 'USD', amount: 1050, day: '2024-05-01' },
      metadata: { source: 'import', prevHash: null, schemaVersion: 1 },
    };
    const canonical =
      '{"data":{"amount":1050,"currency":"USD","day":"2024-05-01"},' +
      '"metadata":{"prevHash":null,"schemaVersion":1,"source":"import"},' +
      '"streamName":"campaign-9","type":"CampaignSpendRecorded"}';
    expect(computeEventHash(event)).toBe(createHash('sha256').update(canonical).digest('hex'));
  });

  it('does not depend on key order', () => {
    const a = { streamName: 's-1', type: 'T', data: { x: 1, y: [1, 2] }, metadata: { prevHash: null } };
    const b = { type: 'T', metadata: { prevHash: null }, data: { y: [1, 2], x: 1 }, streamName: 's-1' };
    expect(computeEventHash(a)).toBe(computeEventHash(b));
  });

  it('leaves the hash field itself out', () => {
    const event = { streamName: 's-1', type: 'T', data: {}, metadata: { prevHash: null } };
    expect(computeEventHash({ ...event, metadata: { prevHash: null, hash: 'whatever' } })).toBe(computeEventHash(event));
  });
});

describe('chainEvents', () => {
  it('links each event to the hash of the one before, starting from null', () => {
    const [first, second, third] = chainEvents('opportunity-1', [opened, staged, won], null);
    expect(first.metadata.prevHash).toBeNull();
    expect(second.metadata.prevHash).toBe(first.metadata.hash);
    expect(third.metadata.prevHash).toBe(second.metadata.hash);
    expect(first.metadata.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('continues an existing chain from its last hash', () => {
    const [first] = chainEvents('opportunity-1', [staged], 'f'.repeat(64));
    expect(first.metadata.prevHash).toBe('f'.repeat(64));
  });

  it('does not modify the events it is given', () => {
    chainEvents('opportunity-1', [opened], null);
    expect(opened.metadata).not.toHaveProperty('hash');
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain and reports its last hash', () => {
    const events = chained();
    expect(verifyChain(events)).toEqual({ valid: true, checked: 3, lastHash: events[2].metadata.hash });
  });

  it('accepts an empty stream', () => {
    expect(verifyChain([])).toEqual({ valid: true, checked: 0, lastHash: null });
  });

  it('finds an event whose data was altered', () => {
    const events = chained();
    events[1] = { ...events[1], data: { from: 'discovery', to: 'negotiation' } };
    expect(verifyChain(events)).toMatchObject({
      valid: false,
      checked: 1,
      brokenAt: { index: 1, revision: 1n, eventId: events[1].eventId, reason: 'hash_mismatch' },
    });
  });

  it('finds an event whose metadata was altered', () => {
    const events = chained();
    events[2] = { ...events[2], metadata: { ...events[2].metadata, actor: { type: 'user', id: 'someone-else' } } } as ChainedEvent;
    expect(verifyChain(events)).toMatchObject({ valid: false, brokenAt: { index: 2, reason: 'hash_mismatch' } });
  });

  it('finds a removed event at the event after the gap', () => {
    const events = chained();
    const result = verifyChain([events[0], events[2]]);
    expect(result).toMatchObject({
      valid: false,
      checked: 1,
      brokenAt: { index: 1, reason: 'prev_hash_mismatch', expected: events[0].metadata.hash, actual: events[1].metadata.hash },
    });
  });

  it('finds a rewritten event even when its hash was recomputed', () => {
    const events = chained();
    const [forged] = chainEvents('opportunity-1', [{ ...staged, data: { from: 'discovery', to: 'closed' } }], events[0].metadata.hash ?? null);
    const result = verifyChain([events[0], { ...events[1], ...forged }, events[2]]);
    expect(result).toMatchObject({ valid: false, brokenAt: { index: 2, reason: 'prev_hash_mismatch' } });
  });

  it('finds an event written without a hash', () => {
    const events = chained();
    const { hash: _removed, ...unhashed } = events[1].metadata;
    expect(verifyChain([events[0], { ...events[1], metadata: unhashed }])).toMatchObject({
      valid: false,
      brokenAt: { index: 1, reason: 'missing_hash', actual: null },
    });
  });

  it('verifies a slice given the hash that precedes it', () => {
    const events = chained();
    expect(verifyChain(events.slice(1), { previousHash: events[0].metadata.hash })).toMatchObject({ valid: true, checked: 2 });
    expect(verifyChain(events.slice(1))).toMatchObject({ valid: false, brokenAt: { index: 0, reason: 'prev_hash_mismatch' } });
  });
});
