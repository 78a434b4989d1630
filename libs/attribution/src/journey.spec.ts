import { buildJourney } from './journey';
import { ANCHOR, daysBefore, journeyOf, opportunity, refusal, touch, touchesAt } from './testing/builders';

const ids = (journey: { touches: readonly { touchpointId: string }[] }) => journey.touches.map(({ touchpointId }) => touchpointId);

describe('buildJourney', () => {
  it('never lets an email sent or an ad shown in: they are not interactions', () => {
    const journey = journeyOf([
      touch({ touchpointId: 'sent', kind: 'EMAIL_SENT', interaction: false }),
      touch({ touchpointId: 'shown', kind: 'AD_IMPRESSION', interaction: false }),
      touch({ touchpointId: 'clicked', kind: 'EMAIL_CLICK' }),
    ]);

    expect(ids(journey)).toEqual(['clicked']);
  });

  it('keeps touches from the anchor minus the lookback up to the anchor, both ends included', () => {
    const journey = journeyOf(
      [
        touch({ touchpointId: 'too-old', occurredAt: '2024-03-01T11:59:59.999Z' }),
        touch({ touchpointId: 'window-start', occurredAt: '2024-03-01T12:00:00Z' }),
        touch({ touchpointId: 'at-anchor', occurredAt: ANCHOR }),
        touch({ touchpointId: 'after-anchor', occurredAt: '2024-03-31T12:00:00.001Z' }),
      ],
      {},
      { lookbackDays: 30 },
    );

    expect(ids(journey)).toEqual(['window-start', 'at-anchor']);
  });

  it('reads a leap day, nanoseconds and a zero offset as UTC instants', () => {
    const journey = journeyOf([touch({ occurredAt: '2024-02-29T23:59:59.123456789Z' }), touch({ occurredAt: '2024-03-30T10:00:00-00:00' })]);

    expect(journey.touches.map(({ occurredAtMs }) => new Date(occurredAtMs).toISOString())).toEqual(['2024-02-29T23:59:59.123Z', '2024-03-30T10:00:00.000Z']);
  });

  it('looks back 365 days unless the query says otherwise', () => {
    const journey = journeyOf([touch({ touchpointId: 'year', occurredAt: daysBefore(365) }), touch({ touchpointId: 'older', occurredAt: daysBefore(365.001) })]);

    expect(ids(journey)).toEqual(['year']);
  });

  it('anchors the pipeline basis at the opening and the revenue basis at the win', () => {
    const touches = [touch({ touchpointId: 'before-open', occurredAt: daysBefore(1) }), touch({ touchpointId: 'before-win', occurredAt: '2024-04-10T00:00:00Z' })];
    const facts = { closedWonAt: '2024-04-20T00:00:00Z' };

    const pipeline = journeyOf(touches, facts, { basis: 'PIPELINE' });
    const revenue = journeyOf(touches, facts, { basis: 'REVENUE' });

    expect([pipeline.anchor, ids(pipeline)]).toEqual([ANCHOR, ['before-open']]);
    expect([revenue.anchor, ids(revenue)]).toEqual(['2024-04-20T00:00:00.000Z', ['before-open', 'before-win']]);
  });

  it('orders touches by occurredAt, then by commit position as a number', () => {
    const journey = journeyOf([
      touch({ touchpointId: 'later', occurredAt: daysBefore(1), position: '5' }),
      touch({ touchpointId: 'second', occurredAt: daysBefore(2), position: '10' }),
      touch({ touchpointId: 'first', occurredAt: daysBefore(2), position: 9n }),
    ]);

    expect(ids(journey)).toEqual(['first', 'second', 'later']);
  });

  it('counts three clicks as three touches, and a touch reached twice as one', () => {
    const click = touch({ touchpointId: 'click-1', kind: 'EMAIL_CLICK' });
    const journey = journeyOf([click, touch({ touchpointId: 'click-2', kind: 'EMAIL_CLICK' }), touch({ touchpointId: 'click-3', kind: 'EMAIL_CLICK' }), { ...click }]);

    expect(ids(journey)).toEqual(['click-1', 'click-2', 'click-3']);
  });

  it('keeps only the kinds and channels a query asks for', () => {
    const touches = [
      touch({ touchpointId: 'search-visit', kind: 'WEB_VISIT', channel: 'paid_search' }),
      touch({ touchpointId: 'search-form', kind: 'FORM_SUBMISSION', channel: 'paid_search' }),
      touch({ touchpointId: 'email-click', kind: 'EMAIL_CLICK', channel: 'email' }),
    ];

    expect(ids(journeyOf(touches, {}, { kinds: ['FORM_SUBMISSION', 'EMAIL_CLICK'] }))).toEqual(['search-form', 'email-click']);
    expect(ids(journeyOf(touches, {}, { channels: ['paid_search'], kinds: ['WEB_VISIT'] }))).toEqual(['search-visit']);
  });

  describe('milestones', () => {
    it('marks the earliest touch FT and the latest last', () => {
      const journey = journeyOf(touchesAt([30, 20, 10]));

      expect(journey.milestones).toMatchObject({ FT: 0, last: 2 });
    });

    it('marks LC on the last touch at or before the oldest contact became a lead', () => {
      const touches = touchesAt([30, 20, 10]);

      expect(journeyOf(touches, { leadCreatedAt: daysBefore(20) }).milestones.LC).toBe(1);
      expect(journeyOf(touches, { leadCreatedAt: daysBefore(15) }).milestones.LC).toBe(1);
    });

    it('leaves LC absent when no touch came before the lead, or the lead time is unknown', () => {
      const touches = touchesAt([30, 20]);

      expect(journeyOf(touches, { leadCreatedAt: daysBefore(40) }).milestones.LC).toBeUndefined();
      expect(journeyOf(touches).milestones.LC).toBeUndefined();
    });

    it('marks OC on the last touch at or before the opening, and CW on the last before the win', () => {
      const touches = [touch({ occurredAt: daysBefore(10) }), touch({ occurredAt: ANCHOR }), touch({ occurredAt: '2024-04-05T00:00:00Z' })];

      const revenue = journeyOf(touches, { closedWonAt: '2024-04-06T00:00:00Z' }, { basis: 'REVENUE' });

      expect(revenue.milestones).toMatchObject({ FT: 0, OC: 1, CW: 2, last: 2 });
    });

    it('has no CW on the pipeline basis: the deal is not won at the opening', () => {
      const journey = journeyOf(touchesAt([3, 2, 1]), { closedWonAt: '2024-04-06T00:00:00Z' });

      expect(journey.milestones.CW).toBeUndefined();
      expect(journey.milestones.OC).toBe(2);
    });

    it('marks nothing when no touch is eligible', () => {
      expect(journeyOf([touch({ interaction: false })]).milestones).toEqual({});
    });
  });

  describe('refuses', () => {
    it('the revenue basis for a deal that was not won', () => {
      expect(() => journeyOf([], {}, { basis: 'REVENUE' })).toThrow(
        refusal({ code: 'INVALID_INPUT', field: 'closedWonAt', message: 'closedWonAt is required on the REVENUE basis: only won deals earn revenue credit' }),
      );
    });

    it.each([
      ['not a timestamp', 'yesterday'],
      ['a day that does not exist', '2024-02-30T00:00:00Z'],
      ['an offset other than UTC', '2024-03-01T10:00:00+02:00'],
      ['an hour past the end of the day', '2024-03-01T24:00:00Z'],
      ['a leap day in a common year', '2023-02-29T10:00:00Z'],
    ])('a touch time that is %s, naming the touch', (_, occurredAt) => {
      expect(() => journeyOf([touch(), touch({ occurredAt })])).toThrow(
        refusal({ field: 'touches[1].occurredAt', message: 'touches[1].occurredAt must be an ISO-8601 UTC timestamp such as 2024-03-01T09:30:00Z' }),
      );
    });

    it.each([
      ['a position that is not a whole number', () => journeyOf([touch({ position: '12.5' })]), 'touches[0].position'],
      ['an interaction flag that is not a boolean', () => journeyOf([touch({ interaction: 'yes' as unknown as boolean })]), 'touches[0].interaction'],
      ['a touch without an id', () => journeyOf([touch({ touchpointId: '' })]), 'touches[0].touchpointId'],
      ['an amount that is not whole minor units', () => journeyOf([], { amountMinor: 10.5 }), 'amountMinor'],
      ['a currency that is not ISO 4217', () => journeyOf([], { currency: 'euro' }), 'currency'],
      ['a win before the opening', () => journeyOf([], { closedWonAt: '2024-01-01T00:00:00Z' }), 'closedWonAt'],
      ['a negative lookback', () => buildJourney([], opportunity(), { basis: 'PIPELINE', lookbackDays: -1 }), 'lookbackDays'],
      ['an unknown basis', () => buildJourney([], opportunity(), { basis: 'BOOKINGS' as 'PIPELINE' }), 'basis'],
    ])('%s', (_, build, field) => {
      expect(build).toThrow(refusal({ code: 'INVALID_INPUT', field }));
    });
  });
});
