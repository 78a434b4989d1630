import { Logger } from '@nestjs/common';
import { ConcurrencyConflictError, EventStoreUnavailableError, type AppendResult, type NewEvent } from '@revops/event-store';
import type { IngestionContext } from './ingestion-context';
import { ingestionLimits } from './ingestion-limits';
import type { BatchEntry } from './touchpoint-batch';
import { TouchpointIngestion, type TouchpointAppender } from './touchpoint-ingestion.service';

/**
 * Streams in memory with EventStoreDB's idempotency rule for expected revision `any`: an
 * append whose first event is stored already stores nothing when all its events are, and
 * is a conflict when only some are. Streams named in `down` fail as an unreachable store.
 */
class InMemoryJournal implements TouchpointAppender {
  readonly streams = new Map<string, NewEvent[]>();
  readonly appends: { streamName: string; count: number }[] = [];
  readonly down = new Set<string>();
  private readonly positions = new Map<string, bigint>();

  async append(streamName: string, events: readonly NewEvent[]): Promise<AppendResult> {
    if (this.down.has(streamName)) throw new EventStoreUnavailableError('connection refused');
    const stream = this.streams.get(streamName) ?? [];
    const isStored = (event: NewEvent) => stream.some((existing) => existing.eventId === event.eventId);
    if (isStored(events[0])) {
      if (!events.every(isStored)) throw new ConcurrencyConflictError(streamName, 'any', BigInt(stream.length - 1));
    } else {
      stream.push(...events);
      this.streams.set(streamName, stream);
      this.appends.push({ streamName, count: events.length });
      for (const event of events) this.positions.set(event.eventId as string, BigInt(this.positions.size + 1) * 100n);
    }
    const at = this.positionOf(events[events.length - 1].eventId as string);
    return { nextExpectedRevision: BigInt(stream.length - 1), position: { commit: at, prepare: at } };
  }

  positionOf(eventId: string): bigint {
    return this.positions.get(eventId) ?? 0n;
  }

  eventIdsOf(streamName: string): string[] {
    return (this.streams.get(streamName) ?? []).map((event) => event.eventId as string);
  }
}

const context: IngestionContext = { correlationId: 'trace-7', causationId: 'request-9', integrationId: null, source: 'tracker' };

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const visit = (n: number, person: string, overrides: Record<string, unknown> = {}) => ({
  touchpointId: id(n),
  source: 'segment',
  kind: 'WEB_VISIT',
  occurredAt: `2024-03-01T09:${String(n % 60).padStart(2, '0')}:00Z`,
  anonymousId: person,
  details: { pageUrl: `https://acme.example/page-${n}` },
  ...overrides,
});

const batch = (...touchpoints: unknown[]): BatchEntry[] => touchpoints.map((touchpoint, index) => ({ index, touchpoint }));

// Failed appends are logged; the log is not what these specs look at.
Logger.overrideLogger(false);

describe('Touchpoint ingestion', () => {
  let journal: InMemoryJournal;
  let ingestion: TouchpointIngestion;

  beforeEach(() => {
    journal = new InMemoryJournal();
    ingestion = new TouchpointIngestion(journal);
  });

  it("appends each person's touches to their journey in batch order", async () => {
    const result = await ingestion.ingest(batch(visit(1, 'a'), visit(2, 'b'), visit(3, 'a')), context);

    expect(result).toMatchObject({ accepted: [id(1), id(2), id(3)], rejected: [] });
    expect(journal.eventIdsOf('journey-anon-a')).toEqual([id(1), id(3)]);
    expect(journal.eventIdsOf('journey-anon-b')).toEqual([id(2)]);
  });

  it('stores the valid touches of a batch and reports the others by index', async () => {
    const entries: BatchEntry[] = [
      { index: 0, touchpoint: visit(1, 'a') },
      { index: 1, errors: [{ field: null, code: 'MALFORMED_JSON', message: 'Line 2 is not valid JSON' }] },
      { index: 2, touchpoint: visit(2, 'a', { occurredAt: 'yesterday' }) },
      { index: 3, touchpoint: visit(3, 'b') },
    ];

    const result = await ingestion.ingest(entries, context);

    expect(result).toMatchObject({
      accepted: [id(1), id(3)],
      rejected: [
        { index: 1, errors: [{ field: null, code: 'MALFORMED_JSON', message: 'Line 2 is not valid JSON' }] },
        { index: 2, errors: [expect.objectContaining({ field: 'occurredAt', code: 'INVALID_TIMESTAMP' })] },
      ],
    });
    expect(journal.eventIdsOf('journey-anon-a')).toEqual([id(1)]);
  });

  it('writes the envelope: correlation, one causation per request, the integration as actor, business time', async () => {
    await ingestion.ingest(batch(visit(1, 'a')), { ...context, integrationId: 'acme-site', source: 'crm-webhook' });
    await ingestion.ingest(batch(visit(2, 'a', { source: 'HubSpot' })), context);

    const [first, second] = journal.streams.get('journey-anon-a') ?? [];
    expect(first).toMatchObject({
      type: 'TouchpointRecorded',
      eventId: id(1),
      metadata: {
        $correlationId: 'trace-7',
        $causationId: 'request-9',
        actor: { type: 'integration', id: 'acme-site' },
        source: 'crm-webhook',
        occurredAt: '2024-03-01T09:01:00.000Z',
      },
    });
    expect(second.metadata.actor).toEqual({ type: 'integration', id: 'hubspot' });
  });

  it('stores a touch sent twice in one batch once, and accepts both positions', async () => {
    const result = await ingestion.ingest(batch(visit(1, 'a'), visit(2, 'a'), visit(1, 'a', { details: { pageUrl: 'https://acme.example/other' } })), context);

    expect(result).toMatchObject({ accepted: [id(1), id(2)], rejected: [] });
    expect(journal.eventIdsOf('journey-anon-a')).toEqual([id(1), id(2)]);
  });

  it('stores nothing new when a batch is sent again, and accepts it all', async () => {
    const touches = batch(visit(1, 'a'), visit(2, 'b'));
    await ingestion.ingest(touches, context);

    const again = await ingestion.ingest(touches, context);

    expect(again).toMatchObject({ accepted: [id(1), id(2)], rejected: [] });
    expect(journal.eventIdsOf('journey-anon-a')).toEqual([id(1)]);
    expect(journal.eventIdsOf('journey-anon-b')).toEqual([id(2)]);
  });

  it('stores only the new touches of a batch that overlaps one stored before', async () => {
    await ingestion.ingest(batch(visit(1, 'a'), visit(2, 'a')), context);

    const result = await ingestion.ingest(batch(visit(2, 'a'), visit(3, 'a')), context);

    expect(result).toMatchObject({ accepted: [id(2), id(3)], rejected: [] });
    expect(journal.eventIdsOf('journey-anon-a')).toEqual([id(1), id(2), id(3)]);
  });

  it('reports the touches of a stream the store failed as rejected, and keeps the rest', async () => {
    journal.down.add('journey-anon-b');

    const result = await ingestion.ingest(batch(visit(1, 'a'), visit(2, 'b'), visit(3, 'b'), visit(2, 'b')), context);

    const storeError = { field: null, code: 'STORE_UNAVAILABLE', message: expect.stringContaining('sending it again is safe') };
    expect(result).toMatchObject({
      accepted: [id(1)],
      rejected: [1, 2, 3].map((index) => ({ index, errors: [storeError] })),
    });
    expect(journal.eventIdsOf('journey-anon-a')).toEqual([id(1)]);
  });

  it('refuses a touch larger than the item limit', async () => {
    const large = visit(1, 'a', { details: { pageUrl: 'https://acme.example/', pageTitle: 'x'.repeat(ingestionLimits.maxItemBytes) } });

    const result = await ingestion.ingest(batch(large, visit(2, 'a')), context);

    expect(result.rejected).toEqual([
      { index: 0, errors: [{ field: null, code: 'ITEM_TOO_LARGE', message: expect.stringMatching(/^A touchpoint may take at most 32 KiB as JSON; this one takes \d+ bytes$/) }] },
    ]);
    expect(result.accepted).toEqual([id(2)]);
  });

  it('answers the highest position of what it accepted, stored now or before', async () => {
    await ingestion.ingest(batch(visit(5, 'b')), context);
    const stored = await ingestion.ingest(batch(visit(1, 'a'), visit(2, 'b'), visit(3, 'a', { occurredAt: 'yesterday' })), context);
    const again = await ingestion.ingest(batch(visit(5, 'b')), context);
    const none = await ingestion.ingest(batch(visit(3, 'a', { occurredAt: 'yesterday' })), context);

    const highest = String(journal.positionOf(id(2)));
    expect(stored.position).toEqual({ commit: highest, prepare: highest });
    const earlier = String(journal.positionOf(id(5)));
    expect(again.position).toEqual({ commit: earlier, prepare: earlier });
    expect(none.position).toBeNull();
  });

  it('stores each touch once when a batch puts new touches ahead of ones stored before', async () => {
    await ingestion.ingest(batch(visit(2, 'a'), visit(3, 'a')), context);

    const result = await ingestion.ingest(batch(visit(1, 'a'), visit(2, 'a'), visit(3, 'a'), visit(4, 'a')), context);

    expect(result).toMatchObject({ accepted: [id(1), id(2), id(3), id(4)], rejected: [] });
    expect(journal.eventIdsOf('journey-anon-a')).toEqual([id(2), id(3), id(1), id(4)]);
  });
});
