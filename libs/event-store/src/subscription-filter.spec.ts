import { eventMatcher, toServerFilter, validateFilter } from './subscription-filter';

const noop = () => undefined;

describe('eventMatcher', () => {
  it('drops system events even without a filter', () => {
    const matches = eventMatcher(undefined);
    expect(matches('$$opportunity-1', '$metadata')).toBe(false);
    expect(matches('$stats-127.0.0.1:2113', '$statsCollected')).toBe(false);
    expect(matches('opportunity-1', 'StageChanged')).toBe(true);
  });

  it('keeps events whose stream starts with one of the prefixes', () => {
    const matches = eventMatcher({ streamNamePrefixes: ['opportunity-', 'pipeline-'] });
    expect(matches('opportunity-1', 'StageChanged')).toBe(true);
    expect(matches('pipeline-main', 'PipelineDefined')).toBe(true);
    expect(matches('contact-1', 'LeadCaptured')).toBe(false);
  });

  it('requires every given condition to hold', () => {
    const matches = eventMatcher({ streamNamePrefixes: ['opportunity-'], eventTypePrefixes: ['Closed'], streamNameRegex: '-\\d+$' });
    expect(matches('opportunity-42', 'ClosedWon')).toBe(true);
    expect(matches('opportunity-42', 'StageChanged')).toBe(false);
    expect(matches('opportunity-abc', 'ClosedWon')).toBe(false);
    expect(matches('contact-42', 'ClosedWon')).toBe(false);
  });

  it('treats empty prefix lists as no condition', () => {
    const matches = eventMatcher({ streamNamePrefixes: [], eventTypePrefixes: [] });
    expect(matches('contact-1', 'LeadCaptured')).toBe(true);
  });
});

describe('toServerFilter', () => {
  it('excludes system events on the server when nothing else is asked for', () => {
    expect(toServerFilter(undefined, 1, noop)).toMatchObject({ filterOn: 'eventType', regex: '^[^$].*' });
  });

  it('prefers stream-name prefixes, then the stream regex, then event-type prefixes', () => {
    const all = { streamNamePrefixes: ['a-'], streamNameRegex: '^b', eventTypePrefixes: ['C'] };
    expect(toServerFilter(all, 1, noop)).toMatchObject({ filterOn: 'streamName', prefixes: ['a-'] });
    expect(toServerFilter({ ...all, streamNamePrefixes: undefined }, 1, noop)).toMatchObject({ filterOn: 'streamName', regex: '^b' });
    expect(toServerFilter({ eventTypePrefixes: ['C'] }, 2, noop)).toMatchObject({
      filterOn: 'eventType',
      prefixes: ['C'],
      checkpointInterval: 2,
    });
  });
});

describe('validateFilter', () => {
  it('rejects system event-type prefixes, which are never delivered', () => {
    expect(() => validateFilter({ eventTypePrefixes: ['$met'] })).toThrow(expect.objectContaining({ code: 'INVALID_EVENT' }));
  });

  it('rejects a stream regex that does not compile', () => {
    expect(() => validateFilter({ streamNameRegex: '(' })).toThrow(/not a valid regular expression/);
  });
});
