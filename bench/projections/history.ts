import type { BuyingRole, LossReason, OpportunityEvent, PipelineEvent, PipelineStage } from '@revops/domain';
import { SeededRandom } from '../generators/random';

/** One stream's events, written in one append. */
export interface StreamHistory {
  readonly streamName: string;
  readonly events: readonly (OpportunityEvent | PipelineEvent)[];
  /** Business time of each event, for its metadata. */
  readonly occurredAt: readonly string[];
  readonly actorId: string;
}

export interface SalesHistory {
  readonly pipelineIds: readonly string[];
  readonly ownerIds: readonly string[];
  readonly streams: readonly StreamHistory[];
  readonly events: number;
  /** The business-time span of the history. */
  readonly from: string;
  readonly to: string;
}

const STAGES: readonly PipelineStage[] = [
  { stageId: 'discovery', name: 'Discovery', order: 10, winProbability: 10 },
  { stageId: 'qualification', name: 'Qualification', order: 20, winProbability: 20 },
  { stageId: 'demo', name: 'Demo', order: 30, winProbability: 40 },
  { stageId: 'proposal', name: 'Proposal', order: 40, winProbability: 60 },
  { stageId: 'negotiation', name: 'Negotiation', order: 50, winProbability: 80 },
];
const ROLES: readonly BuyingRole[] = ['DECISION_MAKER', 'CHAMPION', 'INFLUENCER', 'TECHNICAL_BUYER', 'ECONOMIC_BUYER'];
const LOSS_REASONS: readonly LossReason[] = ['PRICE', 'COMPETITOR', 'NO_BUDGET', 'NO_DECISION', 'BAD_TIMING'];
const CURRENCIES = [
  ['USD', 6],
  ['EUR', 3],
  ['GBP', 1],
] as const;
const DAY_MS = 86_400_000;
const START = Date.parse('2023-01-01T00:00:00.000Z');
const SPAN_DAYS = 730;

/**
 * A seeded sales history as a CRM would have written it over two years: a few pipelines,
 * and deals that move forward (and sometimes back) through stages, change amount and close
 * date, gain contacts, are won or lost, and now and then reopened. About nine and a half events
 * a deal.
 */
export function salesHistory(options: { opportunities: number; seed: number; pipelines?: number; owners?: number }): SalesHistory {
  const random = new SeededRandom(options.seed);
  const pipelineIds = Array.from({ length: options.pipelines ?? 4 }, () => random.uuid());
  const ownerIds = Array.from({ length: options.owners ?? 40 }, (_, i) => `rep-${String(i + 1).padStart(3, '0')}`);
  const accountIds = Array.from({ length: Math.max(1, Math.ceil(options.opportunities / 5)) }, () => random.uuid());
  const streams: StreamHistory[] = [];
  const definedAt = new Date(START - 30 * DAY_MS).toISOString();
  for (const pipelineId of pipelineIds) {
    streams.push({
      streamName: `pipeline-${pipelineId}`,
      events: [{ type: 'PipelineDefined', data: { pipelineId, name: `Pipeline ${pipelineId.slice(0, 4)}`, revision: 1, stages: STAGES, definedAt } }],
      occurredAt: [definedAt],
      actorId: 'revops-admin',
    });
  }
  let events = streams.length;
  for (let i = 0; i < options.opportunities; i++) {
    const deal = dealHistory(random, {
      opportunityId: random.uuid(),
      pipelineId: random.pick(pipelineIds),
      accountId: random.pick(accountIds),
      ownerId: random.pick(ownerIds),
      name: `Deal ${i + 1}`,
    });
    streams.push(deal);
    events += deal.events.length;
  }
  return {
    pipelineIds,
    ownerIds,
    streams,
    events,
    from: new Date(START).toISOString(),
    to: new Date(START + (SPAN_DAYS + 200) * DAY_MS).toISOString(),
  };
}

function dealHistory(
  random: SeededRandom,
  deal: { opportunityId: string; pipelineId: string; accountId: string; ownerId: string; name: string },
): StreamHistory {
  const { opportunityId } = deal;
  const currency = random.weighted(CURRENCIES.map(([code, weight]) => [code, weight] as const));
  let at = START + random.int(0, SPAN_DAYS) * DAY_MS + random.int(0, DAY_MS - 1);
  let amountMinor = random.int(20, 2_000) * 50_000;
  let stage = 0;
  let closeDate = day(at + random.int(30, 180) * DAY_MS);
  const events: OpportunityEvent[] = [];
  const occurredAt: string[] = [];
  const next = (event: OpportunityEvent) => {
    events.push(event);
    occurredAt.push(new Date(at).toISOString());
  };
  const later = (minDays: number, maxDays: number) => {
    at += random.int(minDays, maxDays) * DAY_MS + random.int(0, DAY_MS - 1);
    return new Date(at).toISOString();
  };
  const openedAt = new Date(at).toISOString();
  next({
    type: 'OpportunityOpened',
    data: {
      opportunityId,
      name: deal.name,
      accountId: deal.accountId,
      contactRoles: [{ contactId: random.uuid(), role: random.pick(ROLES) }],
      pipelineId: deal.pipelineId,
      pipelineRevision: 1,
      stageId: STAGES[0].stageId,
      amount: { amountMinor, currency },
      expectedCloseDate: closeDate,
      ownerId: deal.ownerId,
      openedAt,
    },
  } as OpportunityEvent);
  const moves = random.int(3, 9);
  for (let move = 0; move < moves; move++) {
    const to = Math.max(0, Math.min(STAGES.length - 1, stage + (random.chance(0.8) ? 1 : -1)));
    if (to !== stage) {
      const changedAt = later(2, 20);
      next({
        type: 'StageChanged',
        data: { opportunityId, fromStageId: STAGES[stage].stageId, toStageId: STAGES[to].stageId, pipelineRevision: 1, changedAt },
      } as OpportunityEvent);
      stage = to;
    }
    if (random.chance(0.2)) {
      const changedAt = later(0, 5);
      const to = Math.max(50_000, amountMinor + random.int(-10, 20) * 50_000);
      next({ type: 'AmountChanged', data: { opportunityId, from: { amountMinor, currency }, to: { amountMinor: to, currency }, changedAt } } as OpportunityEvent);
      amountMinor = to;
    }
    if (random.chance(0.15)) {
      const changedAt = later(0, 5);
      const to = day(Date.parse(`${closeDate}T00:00:00Z`) + random.int(7, 60) * DAY_MS);
      next({ type: 'CloseDateChanged', data: { opportunityId, from: closeDate, to, changedAt } } as OpportunityEvent);
      closeDate = to;
    }
    if (random.chance(0.12)) {
      const addedAt = later(0, 3);
      next({ type: 'ContactRoleAdded', data: { opportunityId, contactId: random.uuid(), role: random.pick(ROLES), addedAt } } as OpportunityEvent);
    }
  }
  let closes = random.chance(0.7) ? (random.chance(0.08) ? 2 : 1) : 0;
  while (closes-- > 0) {
    const closedAt = later(3, 30);
    const won = random.chance(0.45);
    next(
      won
        ? ({ type: 'ClosedWon', data: { opportunityId, wonAmount: { amountMinor, currency }, stageId: STAGES[stage].stageId, closedAt } } as OpportunityEvent)
        : ({
            type: 'ClosedLost',
            data: { opportunityId, reason: random.pick(LOSS_REASONS), note: null, stageId: STAGES[stage].stageId, closedAt },
          } as OpportunityEvent),
    );
    if (closes > 0) {
      const reopenedAt = later(5, 40);
      next({
        type: 'Reopened',
        data: { opportunityId, previousOutcome: won ? 'won' : 'lost', stageId: STAGES[stage].stageId, pipelineRevision: 1, reason: 'came back', reopenedAt },
      } as OpportunityEvent);
    }
  }
  return { streamName: `opportunity-${opportunityId}`, events, occurredAt, actorId: deal.ownerId };
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
