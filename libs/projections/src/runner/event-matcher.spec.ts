import { matcherOf } from './event-matcher';

describe('matcherOf', () => {
  it('takes every non-system event when the filter is empty', () => {
    const matches = matcherOf({});

    expect(matches('opportunity-1', 'StageChanged')).toBe(true);
    expect(matches('$stats-127.0.0.1:2113', '$statsCollected')).toBe(false);
  });

  it('needs every condition of the filter to hold', () => {
    const matches = matcherOf({ streamNamePrefixes: ['opportunity-', 'pipeline-'], eventTypePrefixes: ['Closed'] });

    expect(matches('opportunity-1', 'ClosedWon')).toBe(true);
    expect(matches('pipeline-1', 'ClosedLost')).toBe(true);
    expect(matches('opportunity-1', 'StageChanged')).toBe(false);
    expect(matches('contact-1', 'ClosedWon')).toBe(false);
  });

  it('tests the stream regex unanchored, as the event store does', () => {
    const matches = matcherOf({ streamNameRegex: '^journey-anon-' });

    expect(matches('journey-anon-42', 'TouchpointRecorded')).toBe(true);
    expect(matches('journey-c-42', 'TouchpointRecorded')).toBe(false);
  });
});
