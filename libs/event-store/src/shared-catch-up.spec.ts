import { covers, unionFilter } from './shared-catch-up';

describe('unionFilter', () => {
  it('joins the stream-name prefixes of filters that have only those, once each', () => {
    expect(unionFilter([{ streamNamePrefixes: ['deal-', 'lead-'] }, { streamNamePrefixes: ['lead-', 'pipeline-'] }])).toEqual({
      streamNamePrefixes: ['deal-', 'lead-', 'pipeline-'],
    });
  });

  it('passes every event when any filter has another condition, or none at all', () => {
    expect(unionFilter([{ streamNamePrefixes: ['deal-'] }, { eventTypePrefixes: ['Deal'] }])).toBeUndefined();
    expect(unionFilter([{ streamNamePrefixes: ['deal-'] }, { streamNamePrefixes: ['lead-'], streamNameRegex: '-1$' }])).toBeUndefined();
    expect(unionFilter([{ streamNamePrefixes: ['deal-'] }, undefined])).toBeUndefined();
    expect(unionFilter([{ streamNamePrefixes: [] }])).toBeUndefined();
  });
});

describe('covers', () => {
  it('holds when each prefix of the filter starts with one of the outer prefixes', () => {
    expect(covers({ streamNamePrefixes: ['deal-', 'lead'] }, { streamNamePrefixes: ['lead-eu-', 'deal-'] })).toBe(true);
    expect(covers({ streamNamePrefixes: ['deal-'] }, { streamNamePrefixes: ['deal-', 'lead-'] })).toBe(false);
  });

  it('holds for anything under no outer filter; under one, only for filters narrowed by stream-name prefixes', () => {
    expect(covers(undefined, { eventTypePrefixes: ['Deal'] })).toBe(true);
    expect(covers(undefined, undefined)).toBe(true);
    expect(covers({ streamNamePrefixes: ['deal-'] }, { streamNamePrefixes: ['deal-'], eventTypePrefixes: ['DealWon'] })).toBe(true);
    expect(covers({ streamNamePrefixes: ['deal-'] }, { eventTypePrefixes: ['DealWon'] })).toBe(false);
    expect(covers({ streamNamePrefixes: ['deal-'] }, undefined)).toBe(false);
  });
});
