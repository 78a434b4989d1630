import fc from 'fast-check';
import { buildJourney, DAY_MS, type Basis, type OpportunityFacts, type Touch } from './journey';
import { attributeByRemovalEffect, markovAttribution } from './markov';
import { attribute, ruleBasedModels, type RuleBasedModel } from './models/rule-based';
import type { PathRow } from './path-rows';
import { attributeByShapley, shapleyAttribution } from './shapley';
import { ANCHOR } from './testing/builders';

const anchorMs = Date.parse(ANCHOR);
const at = (days: number) => new Date(anchorMs + Math.round(days * DAY_MS)).toISOString();

/** Touches around the anchor, some outside the window, some sharing an instant, some not interactions. */
const touchesArbitrary = fc
  .array(
    fc.record({
      days: fc.oneof(fc.integer({ min: -400, max: 30 }), fc.double({ min: -400, max: 30, noNaN: true })),
      kind: fc.constantFrom('WEB_VISIT', 'EMAIL_CLICK', 'EMAIL_SENT', 'AD_IMPRESSION', 'DEMO'),
      channel: fc.constantFrom('direct', 'email', 'paid_search', 'events'),
      campaignId: fc.option(fc.constantFrom('spring', 'autumn'), { nil: null }),
    }),
    { maxLength: 12 },
  )
  .chain((drafts) =>
    fc.shuffledSubarray(
      drafts.map((_, index) => BigInt(index) * 7n + 3n),
      { minLength: drafts.length, maxLength: drafts.length },
    ).map((positions) =>
      drafts.map(
        ({ days, kind, channel, campaignId }, index): Touch => ({
          touchpointId: `tp-${index}`,
          // Whole days collide often, so the position decides the order of equal instants.
          occurredAt: at(days),
          position: index % 2 === 0 ? positions[index] : positions[index].toString(),
          kind,
          channel,
          campaignId,
          interaction: kind !== 'EMAIL_SENT' && kind !== 'AD_IMPRESSION',
        }),
      ),
    ),
  );

const opportunityArbitrary = fc
  .record({
    wonAfterDays: fc.option(fc.double({ min: 0, max: 60, noNaN: true }), { nil: undefined }),
    leadDays: fc.option(fc.double({ min: -400, max: 30, noNaN: true }), { nil: undefined }),
    amountMinor: fc.oneof(fc.nat(10_000), fc.maxSafeNat()),
    revenue: fc.boolean(),
  })
  .map(({ wonAfterDays, leadDays, amountMinor, revenue }) => ({
    facts: {
      openedAt: ANCHOR,
      closedWonAt: wonAfterDays === undefined ? null : at(wonAfterDays),
      leadCreatedAt: leadDays === undefined ? null : at(leadDays),
      amountMinor,
      currency: 'EUR',
    } satisfies OpportunityFacts,
    basis: (revenue && wonAfterDays !== undefined ? 'REVENUE' : 'PIPELINE') as Basis,
  }));

/** Six whole percentages summing to 100, from five cut points; FT or last above 0. */
const customWeightsArbitrary = fc
  .array(fc.integer({ min: 0, max: 100 }), { minLength: 5, maxLength: 5 })
  .map((cuts) => {
    const bounds = [0, ...cuts.sort((a, b) => a - b), 100];
    const [FT, LC, OC, CW, last, middle] = bounds.slice(1).map((bound, index) => bound - bounds[index]);
    return { FT, LC, OC, CW, last, middle };
  })
  .filter(({ FT, last }) => FT + last > 0);

const modelArbitrary: fc.Arbitrary<RuleBasedModel> = fc.oneof(
  fc.constantFrom(...ruleBasedModels.filter((name) => name !== 'CUSTOM' && name !== 'TIME_DECAY')).map((name) => ({ name }) as RuleBasedModel),
  fc.double({ min: 0.01, max: 60, noNaN: true }).map((halfLifeDays) => ({ name: 'TIME_DECAY' as const, halfLifeDays })),
  customWeightsArbitrary.map((weights) => ({ name: 'CUSTOM' as const, weights })),
);

const shuffled = <T>(items: T[]) => fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length });

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

describe('every rule-based model, on random journeys', () => {
  it('gives shares summing to 1 and money summing exactly to the amount', () => {
    fc.assert(
      fc.property(touchesArbitrary, opportunityArbitrary, modelArbitrary, (touches, { facts, basis }, model) => {
        const { credits } = attribute(buildJourney(touches, facts, { basis }), model);

        expect(Math.abs(sum(credits.map(({ share }) => share)) - 1)).toBeLessThanOrEqual(1e-12);
        expect(credits.reduce((total, { creditMinor }) => total + BigInt(creditMinor), 0n)).toBe(BigInt(facts.amountMinor));
        expect(credits.reduce((total, { exactShare }) => total + exactShare.numerator, 0n)).toBe(credits[0].exactShare.denominator);
        expect(credits.every(({ creditMinor, share }) => creditMinor >= 0 && share >= 0)).toBe(true);
      }),
    );
  });

  it('does not depend on the order the touches come in', () => {
    fc.assert(
      fc.property(
        touchesArbitrary.chain((touches) => fc.tuple(fc.constant(touches), shuffled(touches))),
        opportunityArbitrary,
        modelArbitrary,
        ([touches, reordered], { facts, basis }, model) => {
          expect(attribute(buildJourney(reordered, facts, { basis }), model)).toEqual(attribute(buildJourney(touches, facts, { basis }), model));
        },
      ),
    );
  });
});

describe('the data-driven models, on random paths', () => {
  const rowsArbitrary = fc.array(
    fc
      .record({
        path: fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { minLength: 1, maxLength: 6 }),
        conversions: fc.nat(5),
        value: fc.nat(1_000),
        nulls: fc.nat(5),
      })
      .map((row): PathRow => ({ ...row, value: row.conversions === 0 ? 0 : row.value })),
    { minLength: 1, maxLength: 15 },
  );
  const optionsArbitrary = fc.record({ order: fc.integer({ min: 1, max: 3 }), includeNulls: fc.boolean() });

  it('MARKOV shares out exactly the total conversions and value, with removal effects from 0 to 1', () => {
    fc.assert(
      fc.property(rowsArbitrary, optionsArbitrary, (rows, options) => {
        const result = markovAttribution(rows, options);

        expect(sum(result.rows.map(({ conversions }) => conversions))).toBeCloseTo(result.totalConversions, 9);
        expect(sum(result.rows.map(({ value }) => value))).toBeCloseTo(result.totalValue, 7);
        expect(result.rows.every(({ removalEffect, valueRemovalEffect }) => [removalEffect, valueRemovalEffect].every((effect) => effect >= 0 && effect <= 1))).toBe(true);
      }),
    );
  });

  it('MARKOV gives the same answer by elimination and by sweeps, whatever the order of the rows', () => {
    fc.assert(
      fc.property(
        rowsArbitrary.chain((rows) => fc.tuple(fc.constant(rows), shuffled(rows))),
        optionsArbitrary,
        ([rows, reordered], options) => {
          const result = markovAttribution(rows, options);
          const swept = markovAttribution(reordered, { ...options, denseLimit: 0 });

          expect(markovAttribution(reordered, options)).toEqual(result);
          swept.rows.forEach((row, index) => expect(row.removalEffect).toBeCloseTo(result.rows[index].removalEffect, 12));
        },
      ),
    );
  });

  it('SHAPLEY shares out exactly the total conversions and value, whatever the order of the rows', () => {
    fc.assert(
      fc.property(
        rowsArbitrary.chain((rows) => fc.tuple(fc.constant(rows), shuffled(rows))),
        ([rows, reordered]) => {
          const result = shapleyAttribution(rows);

          expect(sum(result.rows.map(({ conversions }) => conversions))).toBeCloseTo(result.totalConversions, 9);
          expect(sum(result.rows.map(({ value }) => value))).toBeCloseTo(result.totalValue, 7);
          expect(shapleyAttribution(reordered)).toEqual(result);
        },
      ),
    );
  });

  it('credits one opportunity exactly its amount under MARKOV and SHAPLEY', () => {
    const effectsArbitrary = fc.dictionary(fc.constantFrom('direct', 'email', 'paid_search', 'events'), fc.double({ min: 0, max: 1, noNaN: true }));
    fc.assert(
      fc.property(touchesArbitrary, opportunityArbitrary, effectsArbitrary, (touches, { facts, basis }, effects) => {
        const journey = buildJourney(touches, facts, { basis });

        for (const { credits } of [attributeByRemovalEffect(journey, 'channel', new Map(Object.entries(effects))), attributeByShapley(journey, 'campaign')]) {
          expect(credits.reduce((total, { creditMinor }) => total + BigInt(creditMinor), 0n)).toBe(BigInt(facts.amountMinor));
          expect(Math.abs(sum(credits.map(({ share }) => share)) - 1)).toBeLessThanOrEqual(1e-12);
        }
      }),
    );
  });
});
