import type { RecordedEnvelope } from '@revops/event-store';
import { anEnvelope } from '../runner/testing/envelopes';
import { matcherOf } from '../runner/event-matcher';
import { attributionProjection } from './attribution.writer';
import {
  ATTRIBUTION_EVENT_TYPES,
  attributionInputs,
  CreditTotalsSum,
  creditTotalsDelta,
  dealCredits,
  decimalShares,
  EVERY_STORED_MODEL,
  IGNORED_EVENT_TYPES,
  storedDealCredits,
  storedModels,
  storedModelSpecs,
  type DealJourney,
} from './attribution.projection';

const at = (day: string) => `2024-03-${day}T09:00:00.000Z`;

function event(commit: number, streamName: string, type: string, data: Record<string, unknown>, occurredAt = at('01')): RecordedEnvelope {
  return anEnvelope(commit, { streamName, type, data, metadata: { ...anEnvelope(commit).metadata, occurredAt } });
}

function touch(commit: number, overrides: Record<string, unknown> = {}): RecordedEnvelope {
  const data = {
    touchpointId: `tp-${commit}`,
    personKey: 'ada',
    kind: 'AD_CLICK',
    occurredAt: at('02'),
    source: 'segment',
    externalId: null,
    contactId: 'ada',
    anonymousId: null,
    email: null,
    accountId: null,
    utm: { source: 'google', medium: 'cpc', campaign: 'brand', content: 'ad-1', term: null },
    referrer: null,
    landingPage: null,
    campaignId: 'cmp-1',
    channel: 'paid_search',
    details: {},
    ...overrides,
  };
  return event(commit, `journey-${data.personKey}`, 'TouchpointRecorded', data, data.occurredAt);
}

const opened = (commit: number, opportunityId: string, contactIds: string[]) =>
  event(
    commit,
    `opportunity-${opportunityId}`,
    'OpportunityOpened',
    {
      opportunityId,
      name: opportunityId,
      accountId: 'acme',
      contactRoles: contactIds.map((contactId) => ({ contactId, role: 'CHAMPION' })),
      pipelineId: 'p',
      pipelineRevision: 1,
      stageId: 's',
      amount: { amountMinor: 10_000, currency: 'EUR' },
      expectedCloseDate: '2024-06-30',
      ownerId: 'rep',
      openedAt: at('10'),
    },
    at('10'),
  );

describe('attribution projection', () => {
  describe('reading a batch', () => {
    it('keeps interactions with their tagging and drops touches nobody acted on', () => {
      const inputs = attributionInputs([touch(1), touch(2, { kind: 'EMAIL_SENT', channel: 'email' })]);
      expect(inputs.lastChangePosition).toBe('1');
      expect(inputs.touches).toEqual([
        {
          touchpointId: 'tp-1',
          personKey: 'ada',
          accountId: null,
          occurredAt: at('02'),
          commitPosition: '1',
          kind: 'AD_CLICK',
          channel: 'paid_search',
          campaignId: 'cmp-1',
          source: 'google',
          medium: 'cpc',
          content: 'ad-1',
        },
      ]);
    });

    it('marks the contacts whose identity links, lead time or merges change their deals', () => {
      const inputs = attributionInputs([
        event(1, 'contact-ben', 'IdentityLinked', { contactId: 'ben', anonymousId: 'ajs-1', linkedAt: at('03') }),
        event(2, 'contact-ada', 'LeadCaptured', { contactId: 'ada', capturedAt: at('04') }, at('04')),
        event(3, 'contact-ada', 'ContactMerged', { contactId: 'ada', mergedContactId: 'cy', mergedAt: at('05') }),
        event(4, 'contact-ada', 'LifecycleStageChanged', { contactId: 'ada', from: 'lead', to: 'mql', reason: null, changedAt: at('06') }, at('06')),
      ]);
      expect(inputs.identityLinks).toEqual([{ personKey: 'anon-ajs-1', contactId: 'ben' }]);
      expect(inputs.leads).toEqual([{ contactId: 'ada', leadAt: at('04') }]);
      expect(inputs.merges).toEqual([{ survivorContactId: 'ada', mergedContactId: 'cy' }]);
      expect(inputs.mqls).toEqual([{ contactId: 'ada', mqlAt: at('06') }]);
      expect([...inputs.changedContacts].sort()).toEqual(['ada', 'ben']);
    });

    it('recomputes a deal on opening, a new contact role, a win and the reopening of a win, not on stage or amount changes', () => {
      const inputs = attributionInputs([
        opened(1, 'X', ['ada']),
        event(2, 'opportunity-Y', 'ContactRoleAdded', { opportunityId: 'Y', contactId: 'ben', role: 'CHAMPION', addedAt: at('11') }),
        event(3, 'opportunity-Z', 'StageChanged', { opportunityId: 'Z', fromStageId: 's', toStageId: 't', pipelineRevision: 1, changedAt: at('12') }),
        event(4, 'opportunity-Z', 'AmountChanged', { opportunityId: 'Z', from: { amountMinor: 1, currency: 'EUR' }, to: { amountMinor: 2, currency: 'EUR' }, changedAt: at('12') }),
        event(5, 'opportunity-W', 'ClosedWon', { opportunityId: 'W', wonAmount: { amountMinor: 5, currency: 'EUR' }, stageId: 's', closedAt: at('13') }, at('13')),
        event(6, 'opportunity-V', 'Reopened', { opportunityId: 'V', previousOutcome: 'won', stageId: 's', pipelineRevision: 1, reason: null, reopenedAt: at('14') }),
        event(7, 'opportunity-U', 'Reopened', { opportunityId: 'U', previousOutcome: 'lost', stageId: 's', pipelineRevision: 1, reason: null, reopenedAt: at('14') }),
      ]);
      expect([...inputs.changedDeals].sort()).toEqual(['V', 'W', 'X', 'Y']);
      // The reopening of a lost deal (7) changes nothing attribution reads.
      expect(inputs.lastChangePosition).toBe('6');
      expect(inputs.dealContacts).toEqual([
        { opportunityId: 'X', contactId: 'ada' },
        { opportunityId: 'Y', contactId: 'ben' },
      ]);
      expect(inputs.outcomes).toEqual([
        { opportunityId: 'W', wonAt: at('13'), wonAmountMinor: '5', wonCurrency: 'EUR' },
        { opportunityId: 'V', wonAt: null, wonAmountMinor: null, wonCurrency: null },
      ]);
    });

    it('keeps the last outcome of a deal won, reopened and won again in one batch', () => {
      const won = (commit: number, amountMinor: number, day: string) =>
        event(commit, 'opportunity-X', 'ClosedWon', { opportunityId: 'X', wonAmount: { amountMinor, currency: 'EUR' }, stageId: 's', closedAt: at(day) }, at(day));
      const reopened = event(2, 'opportunity-X', 'Reopened', { opportunityId: 'X', previousOutcome: 'won', stageId: 's', pipelineRevision: 1, reason: null, reopenedAt: at('15') });
      expect(attributionInputs([won(1, 5, '14'), reopened, won(3, 7, '16')]).outcomes).toEqual([
        { opportunityId: 'X', wonAt: at('16'), wonAmountMinor: '7', wonCurrency: 'EUR' },
      ]);
    });

    it('takes nothing from the event types it does not consume, and its filter leaves a deal\'s other events out', () => {
      const contactTypes = ['LeadCaptured', 'IdentityLinked', 'ContactMerged', 'LifecycleStageChanged', 'ContactUpdated', 'LeadScored', 'LeadAcceptedBySales', 'LeadRejectedBySales', 'ContactMergedInto'];
      const streamOf = (type: string) => (type === 'TouchpointRecorded' ? 'journey-ada' : contactTypes.includes(type) ? 'contact-ada' : 'opportunity-X');
      for (const type of IGNORED_EVENT_TYPES) {
        const inputs = attributionInputs([event(1, streamOf(type), type, { opportunityId: 'X', contactId: 'ada' })]);
        expect({ type, ...inputs }).toEqual({ ...attributionInputs([]), type });
      }
      const consumes = matcherOf(attributionProjection.consumes);
      expect(['AmountChanged', 'CloseDateChanged', 'StageChanged', 'ClosedLost'].filter((type) => consumes('opportunity-X', type))).toEqual([]);
      expect(ATTRIBUTION_EVENT_TYPES.filter((type) => !consumes(streamOf(type), type))).toEqual([]);
      expect(consumes('pipeline-p', 'OpportunityOpened')).toBe(false);
    });

    it('stalls on an event type it does not know', () => {
      expect(() => attributionInputs([event(1, 'contact-ada', 'ContactTeleported', { contactId: 'ada' })])).toThrow(/ContactTeleported/);
    });
  });

  describe('crediting a deal', () => {
    const journey: DealJourney = {
      deal: {
        opportunityId: 'X',
        openedAt: at('10'),
        amountMinor: '10000',
        currency: 'EUR',
        wonAt: at('20'),
        wonAmountMinor: '9000',
        wonCurrency: 'EUR',
        leadCreatedAt: at('05'),
      },
      touches: [
        { touchpointId: 'a', occurredAt: at('01'), position: '1', kind: 'AD_CLICK', channel: 'paid_search', interaction: true },
        { touchpointId: 'b', occurredAt: at('12'), position: '2', kind: 'EMAIL_CLICK', channel: 'email', interaction: true },
      ],
    };

    it('credits every stored model on both bases of a won deal, each summing to its amount', () => {
      const rows = dealCredits(journey, { models: storedModelSpecs });
      for (const basis of ['PIPELINE', 'REVENUE'] as const) {
        for (const model of storedModels) {
          const credits = rows.filter((row) => row.basis === basis && row.model === model);
          expect({ basis, model, total: credits.reduce((sum, row) => sum + row.creditMinor, 0) }).toEqual({
            basis,
            model,
            total: basis === 'PIPELINE' ? 10_000 : 9_000,
          });
        }
      }
    });

    it('leaves a touch after the anchor out of the pipeline basis but in the revenue basis', () => {
      const linear = dealCredits(journey, { models: [{ name: 'LINEAR' }] });
      expect(linear.filter((row) => row.basis === 'PIPELINE').map((row) => [row.touchpointId, row.creditMinor])).toEqual([['a', 10_000]]);
      expect(linear.filter((row) => row.basis === 'REVENUE').map((row) => [row.touchpointId, row.creditMinor])).toEqual([
        ['a', 4_500],
        ['b', 4_500],
      ]);
    });

    it('gives a deal that is not won no revenue credit', () => {
      const open = { ...journey, deal: { ...journey.deal, wonAt: null, wonAmountMinor: null, wonCurrency: null } };
      expect(dealCredits(open, { models: [{ name: 'LINEAR' }] }).map((row) => row.basis)).toEqual(['PIPELINE']);
    });

    it('keeps the credits of a basis with eligible touches model by model', () => {
      expect(storedDealCredits(journey)).toEqual(dealCredits(journey, { models: storedModelSpecs }));
    });

    it('keeps a basis that every model credits whole to (none) once, under every model at once', () => {
      const untouched = { ...journey, touches: [] };
      const everyModel = dealCredits(untouched, { models: storedModelSpecs });
      expect(everyModel).toHaveLength(2 * storedModels.length);
      const kept = storedDealCredits(untouched);
      expect(kept.map((row) => [row.basis, row.model, row.touchpointId, row.creditMinor, row.share])).toEqual([
        ['PIPELINE', EVERY_STORED_MODEL, '(none)', 10_000, '1.000000000000000000'],
        ['REVENUE', EVERY_STORED_MODEL, '(none)', 9_000, '1.000000000000000000'],
      ]);
      // Each is what every model gives, but for the model.
      for (const row of everyModel) expect({ ...row, model: EVERY_STORED_MODEL }).toEqual(kept.find((credit) => credit.basis === row.basis));
    });

    it('keeps each basis on its own: (none) on the pipeline before the first touch, the touch on revenue', () => {
      // The only touch comes after the opening, before the win.
      const late = { ...journey, touches: journey.touches.filter((candidate) => candidate.touchpointId === 'b') };
      const kept = storedDealCredits(late);
      expect(kept.filter((row) => row.basis === 'PIPELINE').map((row) => [row.model, row.touchpointId])).toEqual([[EVERY_STORED_MODEL, '(none)']]);
      const revenue = kept.filter((row) => row.basis === 'REVENUE');
      expect(revenue.map((row) => row.model)).toEqual([...storedModels]);
      expect(revenue.every((row) => row.touchpointId === 'b' && row.creditMinor === 9_000)).toBe(true);
    });
  });

  describe('the daily totals of a recomputation', () => {
    const journey: DealJourney = {
      deal: { opportunityId: 'X', openedAt: at('10'), amountMinor: '9000', currency: 'EUR', wonAt: null, wonAmountMinor: null, wonCurrency: null, leadCreatedAt: null },
      touches: [
        { touchpointId: 'a', occurredAt: at('01'), position: '1', kind: 'AD_CLICK', channel: 'paid_search', interaction: true },
        { touchpointId: 'b', occurredAt: at('02'), position: '2', kind: 'AD_CLICK', channel: 'paid_search', interaction: true },
        { touchpointId: 'c', occurredAt: at('03'), position: '3', kind: 'EMAIL_CLICK', channel: 'email', interaction: true },
      ],
    };
    const linear = (source: DealJourney) => dealCredits(source, { models: [{ name: 'LINEAR' }] });
    const byKey = (deltas: ReturnType<typeof creditTotalsDelta>, dimension: string) =>
      Object.fromEntries(deltas.filter((delta) => delta.dimension === dimension).map((delta) => [delta.key, [delta.conversions, delta.amountMinor, delta.deals]]));

    it('adds a new deal once under the whole and under every key it touches, shares summed exactly', () => {
      const deltas = creditTotalsDelta([], linear(journey));
      expect(byKey(deltas, 'all')).toEqual({ '': ['1.000000000000000000', 9_000, 1] });
      expect(byKey(deltas, 'channel')).toEqual({ paid_search: ['0.666666666666666667', 6_000, 1], email: ['0.333333333333333333', 3_000, 1] });
      expect(byKey(deltas, 'campaign')).toEqual({ '(not set)': ['1.000000000000000000', 9_000, 1] });
    });

    it('changes nothing when a deal is credited as before', () => {
      expect(creditTotalsDelta(linear(journey), linear(journey))).toEqual([]);
    });

    it('moves credit between keys when a touch joins the journey', () => {
      const later = { ...journey, touches: [...journey.touches, { touchpointId: 'd', occurredAt: at('04'), position: '4', kind: 'EMAIL_CLICK', channel: 'email', interaction: true }] };
      const deltas = creditTotalsDelta(linear(journey), linear(later));
      expect(byKey(deltas, 'channel')).toEqual({ paid_search: ['-0.166666666666666667', -1_500, 0], email: ['0.166666666666666667', 1_500, 0] });
      expect(byKey(deltas, 'all')).toEqual({});
    });

    it('sums to the same totals when the deals are credited in parts, several models each', () => {
      const models = { models: [{ name: 'LINEAR' }, { name: 'FIRST_TOUCH' }, { name: 'TIME_DECAY' }] } as const;
      const deals = ['X', 'Y', 'Z'].map((opportunityId, i) => ({
        ...journey,
        deal: { ...journey.deal, opportunityId, amountMinor: String(9_000 + i * 1_001), wonAt: i === 1 ? at('12') : null, wonAmountMinor: i === 1 ? '12000' : null, wonCurrency: i === 1 ? 'EUR' : null },
        touches: journey.touches.slice(i === 2 ? 1 : 0),
      }));
      const credits = deals.map((deal) => dealCredits(deal, models));
      const sum = new CreditTotalsSum();
      sum.add(credits[0]);
      sum.add([...credits[1], ...credits[2]]);
      const order = (deltas: ReturnType<typeof creditTotalsDelta>) =>
        [...deltas].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      expect(order(sum.totals())).toEqual(order(creditTotalsDelta([], credits.flat())));
      expect(sum.totals().find((total) => total.dimension === 'all' && total.model === 'LINEAR' && total.basis === 'PIPELINE')?.deals).toBe(3);
    });

    it('keeps shares exact over thousands of deals, carrying between the parts of the fraction', () => {
      const deals = Array.from({ length: 3_000 }, (_, i) => ({ ...journey, deal: { ...journey.deal, opportunityId: `D${i}` } }));
      const credits = deals.map((deal) => linear(deal));
      const sum = new CreditTotalsSum();
      for (const dealCredits of credits) sum.add(dealCredits);
      const order = (deltas: ReturnType<typeof creditTotalsDelta>) =>
        [...deltas].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      const totals = sum.totals();
      expect(order(totals)).toEqual(order(creditTotalsDelta([], credits.flat())));
      const all = totals.filter((total) => total.dimension === 'all');
      expect(all.map((total) => [total.conversions, total.deals])).toEqual([['3000.000000000000000000', 3_000]]);
    });
  });

  describe('decimalShares', () => {
    const share = (numerator: bigint, denominator: bigint) => ({ numerator, denominator });

    it('add up to exactly 1, the remainder going to the largest share, the earliest of equal ones', () => {
      expect(decimalShares([share(1n, 3n), share(1n, 3n), share(1n, 3n)])).toEqual(['0.333333333333333334', '0.333333333333333333', '0.333333333333333333']);
      expect(decimalShares([share(1n, 6n), share(5n, 6n)])).toEqual(['0.166666666666666666', '0.833333333333333334']);
      expect(decimalShares([share(0n, 7n), share(7n, 7n)])).toEqual(['0.000000000000000000', '1.000000000000000000']);
    });
  });
});
