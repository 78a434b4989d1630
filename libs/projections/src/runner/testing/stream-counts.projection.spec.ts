import { anEnvelope } from './envelopes';
import { countByStream } from './stream-counts.projection';

describe('stream counts projection', () => {
  it('turns a batch into one change per stream: events, summed weight, and where the stream ended', () => {
    const batch = [
      anEnvelope(10, { streamName: 'counted-a', revision: 0n, data: { weight: 2 } }),
      anEnvelope(20, { streamName: 'counted-b', revision: 0n, type: 'Opened' }),
      anEnvelope(30, { streamName: 'counted-a', revision: 1n, type: 'Closed', data: { weight: 5 } }),
    ];

    expect(countByStream(batch)).toEqual([
      { streamName: 'counted-a', events: 2, weight: 7, lastRevision: 1n, lastType: 'Closed' },
      { streamName: 'counted-b', events: 1, weight: 1, lastRevision: 0n, lastType: 'Opened' },
    ]);
  });

  it('counts a negative weight as zero when asked to', () => {
    const batch = [anEnvelope(10, { data: { weight: -1_000 } }), anEnvelope(20, { data: { weight: 3 } })];

    expect(countByStream(batch, { clampNegativeWeights: true })).toMatchObject([{ events: 2, weight: 3 }]);
    expect(countByStream(batch)).toMatchObject([{ events: 2, weight: -997 }]);
  });

  it('has nothing to change for an empty batch', () => {
    expect(countByStream([])).toEqual([]);
  });
});
