import { canonicalRows, pathRows } from './path-rows';
import { journeyOf, pathRow, refusal, touch } from './testing/builders';

describe('pathRows', () => {
  it('groups journeys by their path over a dimension, counting conversions, value and failures', () => {
    const search = () => touch({ channel: 'paid_search', source: 'google' });
    const email = () => touch({ channel: 'email', source: null });
    const outcomes = [
      { touches: journeyOf([search(), email()]).touches, converted: true, value: 500 },
      { touches: journeyOf([search(), email()]).touches, converted: false },
      { touches: journeyOf([email()]).touches, converted: true, value: 70 },
    ];

    expect(pathRows(outcomes, 'channel')).toEqual([
      { path: ['email'], conversions: 1, value: 70, nulls: 0 },
      { path: ['paid_search', 'email'], conversions: 1, value: 500, nulls: 1 },
    ]);
    expect(pathRows(outcomes, 'source').map(({ path }) => path)).toEqual([['(not set)'], ['google', '(not set)']]);
  });

  it('makes a journey without an eligible touch the path (none)', () => {
    expect(pathRows([{ touches: [], converted: true, value: 9 }], 'channel')).toEqual([{ path: ['(none)'], conversions: 1, value: 9, nulls: 0 }]);
  });
});

describe('canonicalRows', () => {
  it('merges rows of the same path and sorts them, whatever order they came in', () => {
    const rows = [pathRow('b', { nulls: 1 }), pathRow('a>b', { conversions: 1, value: 5 }), pathRow('b', { conversions: 2, value: 4 })];

    expect(canonicalRows(rows)).toEqual([pathRow('a>b', { conversions: 1, value: 5 }), pathRow('b', { conversions: 2, value: 4, nulls: 1 })]);
    expect(canonicalRows([...rows].reverse())).toEqual(canonicalRows(rows));
  });

  it.each([
    [{ path: ['a', ''], conversions: 1, value: 0, nulls: 0 }, 'rows[0].path[1]'],
    [{ path: ['a'], conversions: -1, value: 0, nulls: 0 }, 'rows[0].conversions'],
    [{ path: ['a'], conversions: 1, value: Number.POSITIVE_INFINITY, nulls: 0 }, 'rows[0].value'],
    [{ path: ['a'], conversions: 0, value: 10, nulls: 1 }, 'rows[0].value'],
  ])('refuses %j, naming %s', (row, field) => {
    expect(() => canonicalRows([row])).toThrow(refusal({ code: 'INVALID_INPUT', field }));
  });
});
