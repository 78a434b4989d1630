import { leadQualityGroup, leadQualityReport, type LeadDecisionCount } from './lead-quality-report';

const MARCH = { from: '2024-03-01T00:00:00Z', to: '2024-04-01T00:00:00Z' };

const accepted = (key: string, leads: number, name: string | null = null): LeadDecisionCount => ({
  key,
  name,
  decision: 'accepted',
  reason: null,
  leads,
  notes: 0,
});

const rejected = (key: string, reason: LeadDecisionCount['reason'], leads: number, notes = 0): LeadDecisionCount => ({
  key,
  name: null,
  decision: 'rejected',
  reason,
  leads,
  notes,
});

describe('A lead quality group', () => {
  const group = leadQualityGroup('paid_social', null, [
    accepted('paid_social', 3),
    rejected('paid_social', 'NO_BUDGET', 1),
    rejected('paid_social', 'NOT_ICP', 2, 1),
    rejected('paid_social', 'OTHER', 2, 2),
  ]);

  it('counts accepted and rejected leads and their rates', () => {
    expect(group).toMatchObject({ decided: 8, accepted: 3, rejected: 5, acceptRate: 0.375, rejectRate: 0.625 }); // 3 / 8, 5 / 8
  });

  it('lists reject reasons commonest first, ties in the order of the reason list, with their notes', () => {
    expect(group.rejectReasons).toEqual([
      { reason: 'NOT_ICP', leads: 2, notes: 1 },
      { reason: 'OTHER', leads: 2, notes: 2 },
      { reason: 'NO_BUDGET', leads: 1, notes: 0 },
    ]);
  });

  it('has null rates and no reasons when nothing was decided', () => {
    expect(leadQualityGroup('email', null, [])).toEqual({
      key: 'email',
      name: null,
      decided: 0,
      accepted: 0,
      rejected: 0,
      acceptRate: null,
      rejectRate: null,
      rejectReasons: [],
    });
  });
});

describe('A lead quality report', () => {
  const counts = [
    accepted('cmp-webinar', 1, 'Spring webinar'),
    rejected('(none)', 'BAD_DATA', 1),
    accepted('cmp-ads', 2),
    rejected('cmp-ads', 'NO_NEED', 1),
  ];

  it('groups the verdicts by first-touch key, most decided first, with the campaign name', () => {
    const report = leadQualityReport(MARCH, 'first_touch_campaign', counts);
    expect(report.groups.map((group) => [group.key, group.name, group.decided])).toEqual([
      ['cmp-ads', null, 3],
      ['(none)', null, 1],
      ['cmp-webinar', 'Spring webinar', 1],
    ]);
  });

  it('totals every group', () => {
    expect(leadQualityReport(MARCH, 'first_touch_campaign', counts).total).toMatchObject({
      key: 'all',
      decided: 5,
      accepted: 3,
      rejected: 2,
      acceptRate: 0.6, // 3 / 5
      rejectRate: 0.4, // 2 / 5
    });
  });

  it('has the total as its one group when not grouped', () => {
    const report = leadQualityReport(MARCH, 'none', counts);
    expect(report.groups).toEqual([report.total]);
  });

  it('has no groups and null rates when sales decided nothing in the period', () => {
    const report = leadQualityReport(MARCH, 'first_touch_channel', []);
    expect(report.groups).toEqual([]);
    expect(report.total.acceptRate).toBeNull();
  });
});
