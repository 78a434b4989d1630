import { funnelGroup, funnelReport, type FunnelCounts } from './funnel-report';

const MARCH = { from: '2024-03-01T00:00:00Z', to: '2024-04-01T00:00:00Z' };

const counts = (overrides: Partial<FunnelCounts> = {}): FunnelCounts => ({
  key: 'paid_search',
  name: null,
  reached: [10, 5, 4, 2, 1],
  medianDays: [3, 7.5, 14, 30],
  timed: [5, 3, 2, 1],
  ...overrides,
});

describe('A funnel group', () => {
  it('lists the contacts that reached each stage, in funnel order', () => {
    expect(funnelGroup(counts()).stages).toEqual([
      { stage: 'lead', contacts: 10 },
      { stage: 'mql', contacts: 5 },
      { stage: 'sql', contacts: 4 },
      { stage: 'opportunity', contacts: 2 },
      { stage: 'customer', contacts: 1 },
    ]);
  });

  it('converts each step as the contacts reaching the next stage over those reaching this one, with its median time', () => {
    expect(funnelGroup(counts()).steps).toEqual([
      { from: 'lead', to: 'mql', conversionRate: 0.5, medianDays: 3, timedContacts: 5 }, // 5 / 10
      { from: 'mql', to: 'sql', conversionRate: 0.8, medianDays: 7.5, timedContacts: 3 }, // 4 / 5
      { from: 'sql', to: 'opportunity', conversionRate: 0.5, medianDays: 14, timedContacts: 2 }, // 2 / 4
      { from: 'opportunity', to: 'customer', conversionRate: 0.5, medianDays: 30, timedContacts: 1 }, // 1 / 2
    ]);
  });

  it('converts leads to customers overall', () => {
    expect(funnelGroup(counts()).leadToCustomerRate).toBe(0.1); // 1 / 10
  });

  it('leaves a rate null when no contact reached the stage it starts from', () => {
    const group = funnelGroup(counts({ reached: [3, 1, 0, 0, 0], medianDays: [2, null, null, null], timed: [1, 0, 0, 0] }));
    expect(group.steps.map((step) => step.conversionRate)).toEqual([1 / 3, 0, null, null]);
    expect(group.steps.map((step) => step.medianDays)).toEqual([2, null, null, null]);
  });

  it('leaves every rate null for an empty cohort', () => {
    const group = funnelGroup(counts({ reached: [0, 0, 0, 0, 0], medianDays: [null, null, null, null], timed: [0, 0, 0, 0] }));
    expect(group.leadToCustomerRate).toBeNull();
    expect(group.steps.every((step) => step.conversionRate === null)).toBe(true);
  });

  it('calls the cohort total all', () => {
    expect(funnelGroup(counts({ key: null })).key).toBe('all');
  });
});

describe('A funnel report', () => {
  const total = counts({ key: null, reached: [6, 3, 1, 0, 0] });

  it('lists the groups with the most leads first, then by key', () => {
    const report = funnelReport(MARCH, 'first_touch_channel', [
      counts({ key: 'email', reached: [2, 1, 0, 0, 0] }),
      total,
      counts({ key: 'paid_search', reached: [2, 2, 1, 0, 0] }),
      counts({ key: '(none)', reached: [2, 0, 0, 0, 0] }),
    ]);
    expect(report.groups.map((group) => group.key)).toEqual(['(none)', 'email', 'paid_search']);
    expect(report.total.stages[0]).toEqual({ stage: 'lead', contacts: 6 });
  });

  it('keeps the campaign name beside its key', () => {
    const report = funnelReport(MARCH, 'first_touch_campaign', [total, counts({ key: 'cmp-1', name: 'Spring webinar' })]);
    expect(report.groups[0]).toMatchObject({ key: 'cmp-1', name: 'Spring webinar' });
  });

  it('has the total as its one group when not grouped', () => {
    const report = funnelReport(MARCH, 'none', [counts({ key: 'all' }), total]);
    expect(report.groups).toEqual([report.total]);
    expect(report.total.stages[0].contacts).toBe(6);
  });

  it('answers zeros and null rates when no lead entered the funnel in the period', () => {
    const report = funnelReport(MARCH, 'first_touch_channel', []);
    expect(report).toMatchObject({ ...MARCH, groupBy: 'first_touch_channel', groups: [] });
    expect(report.total.stages.map((stage) => stage.contacts)).toEqual([0, 0, 0, 0, 0]);
    expect(report.total.leadToCustomerRate).toBeNull();
  });
});
