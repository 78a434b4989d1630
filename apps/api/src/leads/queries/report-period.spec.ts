import { InputValidationError } from '../../common/validation/input-validation.error';
import { largestFirst, rate, reportPeriod } from './report-period';

describe('A lead report period', () => {
  it('is kept as given when from comes before to', () => {
    expect(reportPeriod('2024-03-01T00:00:00Z', '2024-04-01T00:00:00Z')).toEqual({
      from: '2024-03-01T00:00:00Z',
      to: '2024-04-01T00:00:00Z',
    });
  });

  it('compares instants, not strings', () => {
    expect(reportPeriod('2024-03-01T23:00:00.000Z', '2024-03-02T00:00:00+00:00').from).toBe('2024-03-01T23:00:00.000Z');
  });

  it('refuses from after to, naming from', () => {
    expect(() => reportPeriod('2024-04-01T00:00:00Z', '2024-03-01T00:00:00Z')).toThrow(
      expect.objectContaining({ fieldErrors: [{ field: 'from', message: 'from must be before to' }] }),
    );
  });

  it('refuses an empty period', () => {
    expect(() => reportPeriod('2024-03-01T00:00:00Z', '2024-03-01T00:00:00Z')).toThrow(InputValidationError);
  });
});

describe('A rate', () => {
  it('divides the part by the whole', () => {
    expect(rate(1, 4)).toBe(0.25);
  });

  it('is null when the whole is zero', () => {
    expect(rate(0, 0)).toBeNull();
  });

  it('is zero when nothing of a non-empty whole converted', () => {
    expect(rate(0, 3)).toBe(0);
  });
});

describe('Report groups', () => {
  it('list the largest first, and equal sizes by key', () => {
    const groups = [
      { key: 'email', size: 2 },
      { key: '(none)', size: 2 },
      { key: 'paid_search', size: 5 },
    ];
    expect([...groups].sort(largestFirst((group) => group.size)).map((group) => group.key)).toEqual(['paid_search', '(none)', 'email']);
  });
});
