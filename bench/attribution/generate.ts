import type { OpportunityFacts, PathRow, Touch } from '@revops/attribution';
import { channels, type Channel } from '@revops/domain';
import { SeededRandom } from '../generators/random';

const DAY = 86_400_000;

// People arrive through acquisition channels and are then nurtured and sold to.
const ENTRY: readonly (readonly [Channel, number])[] = [
  ['paid_search', 25],
  ['organic_search', 22],
  ['paid_social', 14],
  ['direct', 12],
  ['referral', 8],
  ['organic_social', 6],
  ['display', 5],
  ['partner', 4],
  ['content', 4],
];
const FOLLOW_UP: readonly (readonly [Channel, number])[] = channels.map((channel) => [channel, ['email', 'content', 'direct', 'paid_search'].includes(channel) ? 14 : ['events', 'sales_outbound', 'organic_search'].includes(channel) ? 8 : 4]);
const LENGTHS: readonly (readonly [number, number])[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((length) => [length, length <= 3 ? 20 : 60 / length]);

export interface JourneySample {
  /** Every journey as a single-journey path row, in the order they happened. */
  readonly journeys: PathRow[];
  readonly distinctPaths: number;
}

/**
 * `journeys` journeys over exactly `distinctPaths` channel paths: each path once, then the
 * rest drawn by a long-tailed popularity, as real path exports look. Paths that hold events
 * or sales outreach convert more often, so the models have something to find.
 */
export function generateJourneys(seed: number, journeyCount: number, distinctPaths: number): JourneySample {
  const random = new SeededRandom(seed);
  const seen = new Set<string>();
  const paths: Channel[][] = [];
  while (paths.length < distinctPaths) {
    const length = random.weighted(LENGTHS);
    const path = [random.weighted(ENTRY)];
    while (path.length < length) path.push(random.weighted(FOLLOW_UP));
    const key = path.join('>');
    if (!seen.has(key)) {
      seen.add(key);
      paths.push(path);
    }
  }
  // Zipf-like: the path of rank r is drawn in proportion to 1 / r^0.9.
  const cumulative: number[] = [];
  let popularity = 0;
  for (let rank = 1; rank <= paths.length; rank++) cumulative.push((popularity += 1 / rank ** 0.9));
  const journeys: PathRow[] = [];
  for (let index = 0; index < journeyCount; index++) {
    const path = index < paths.length ? paths[index] : paths[pick(cumulative, random.next() * cumulative[cumulative.length - 1])];
    const propensity = Math.min(0.5, 0.02 + (path.includes('events') ? 0.04 : 0) + (path.includes('sales_outbound') ? 0.06 : 0) + 0.005 * path.length);
    const converted = random.chance(propensity);
    journeys.push({ path, conversions: converted ? 1 : 0, value: converted ? random.int(500_000, 20_000_000) : 0, nulls: converted ? 0 : 1 });
  }
  return { journeys, distinctPaths: paths.length };
}

function pick(cumulative: readonly number[], roll: number): number {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (cumulative[middle] < roll) low = middle + 1;
    else high = middle;
  }
  return low;
}

export interface OpportunitySample {
  readonly touches: Touch[];
  readonly facts: OpportunityFacts;
  readonly basis: 'PIPELINE' | 'REVENUE';
}

const KINDS: readonly (readonly [string, number])[] = [
  ['WEB_VISIT', 40],
  ['AD_CLICK', 10],
  ['EMAIL_OPEN', 10],
  ['EMAIL_CLICK', 8],
  ['FORM_SUBMISSION', 4],
  ['WEBINAR', 3],
  ['CALL', 4],
  ['DEMO', 2],
  ['EMAIL_SENT', 12],
  ['AD_IMPRESSION', 7],
];

/** Opportunities with 1–20 touches over the year before (and a month after) the opening; three in ten won. */
export function generateOpportunities(seed: number, count: number): OpportunitySample[] {
  const random = new SeededRandom(seed);
  const opportunities: OpportunitySample[] = [];
  let position = 1n;
  for (let index = 0; index < count; index++) {
    const openedMs = Date.parse('2024-01-01T00:00:00Z') + random.int(0, 364) * DAY + random.int(0, DAY - 1);
    const won = random.chance(0.3);
    const touches = Array.from({ length: random.int(1, 20) }, (_, touch): Touch => {
      const kind = random.weighted(KINDS);
      return {
        touchpointId: `opp-${index}-tp-${touch}`,
        occurredAt: new Date(openedMs - random.next() * 400 * DAY + 30 * DAY * random.next()).toISOString(),
        position: (position += BigInt(random.int(1, 50))).toString(),
        kind,
        channel: random.weighted(index % 2 === 0 ? ENTRY : FOLLOW_UP),
        campaignId: random.chance(0.5) ? `campaign-${random.int(1, 40)}` : null,
        interaction: kind !== 'EMAIL_SENT' && kind !== 'AD_IMPRESSION',
      };
    });
    opportunities.push({
      touches,
      facts: {
        openedAt: new Date(openedMs).toISOString(),
        closedWonAt: won ? new Date(openedMs + random.int(5, 90) * DAY).toISOString() : null,
        leadCreatedAt: new Date(openedMs - random.next() * 200 * DAY).toISOString(),
        amountMinor: random.int(100_000, 50_000_000),
        currency: 'EUR',
      },
      basis: won ? 'REVENUE' : 'PIPELINE',
    });
  }
  return opportunities;
}
