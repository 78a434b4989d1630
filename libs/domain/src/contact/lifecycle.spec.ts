import { lifecycleMove, lifecycleStages, type LifecycleStage } from './lifecycle';

const allowed = (from: LifecycleStage, to: LifecycleStage) => {
  const move = lifecycleMove(from, to);
  return move.allowed ? move.direction : 'refused';
};

describe('Lifecycle moves', () => {
  it('follow the funnel: forward freely, back only as a recycle, and out of customer only as a win-back', () => {
    const matrix = Object.fromEntries(lifecycleStages.map((from) => [from, lifecycleStages.map((to) => allowed(from, to))]));
    expect(matrix).toEqual({
      // columns: subscriber, lead, mql, sql, opportunity, customer
      subscriber: ['refused', 'forward', 'forward', 'forward', 'forward', 'forward'],
      lead: ['recycle', 'refused', 'forward', 'forward', 'forward', 'forward'],
      mql: ['recycle', 'recycle', 'refused', 'forward', 'forward', 'forward'],
      sql: ['recycle', 'recycle', 'recycle', 'refused', 'forward', 'forward'],
      opportunity: ['recycle', 'recycle', 'recycle', 'recycle', 'refused', 'forward'],
      customer: ['refused', 'win-back', 'refused', 'refused', 'refused', 'refused'],
    });
  });

  it('ask for a reason on every move back', () => {
    expect(lifecycleMove('sql', 'lead')).toEqual({ allowed: true, direction: 'recycle', reasonRequired: true });
    expect(lifecycleMove('customer', 'lead')).toEqual({ allowed: true, direction: 'win-back', reasonRequired: true });
    expect(lifecycleMove('lead', 'sql')).toEqual({ allowed: true, direction: 'forward', reasonRequired: false });
  });
});
