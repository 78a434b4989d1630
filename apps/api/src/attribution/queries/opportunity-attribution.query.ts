import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Basis, RuleBasedModelName } from '@revops/attribution';
import type { Position } from '@revops/event-store';
import { ATTRIBUTION_PROJECTION, dealCredits, readDealJourneys, storedModelKeys, utcText, type CreditRow } from '@revops/projections';
import { ReadModels, type ReadModelView } from '../../common/read-side/read-models';
import { isStored, modelOf, type CreditRules } from './attribution-request';
import { attributionSql } from './credit-source';

export type TouchCredit = Pick<CreditRow, 'touchpointId' | 'occurredAt' | 'kind' | 'channel' | 'campaignId' | 'source' | 'medium' | 'content' | 'positions'> & {
  readonly share: number;
  readonly exactShare: string;
  readonly amountMinor: number;
};

export interface OpportunityAttribution {
  readonly opportunityId: string;
  readonly model: RuleBasedModelName;
  readonly basis: Basis;
  readonly anchorAt: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly lookbackDays: number;
  readonly stored: boolean;
  readonly credits: readonly TouchCredit[];
}

/** Null for a deal the read model does not know, and on the revenue basis for a deal that is not won. */
export class OpportunityAttributionQuery extends Query<OpportunityAttribution | null> {
  constructor(
    readonly opportunityId: string,
    readonly rules: CreditRules,
    readonly basis: Basis,
    readonly minPosition?: Position,
  ) {
    super();
  }
}

interface StoredCreditRow {
  touchpoint_id: string;
  ordinal: number;
  anchor_at: string;
  currency: string;
  share: string;
  credit_minor: string;
  positions: string[];
  occurred_at: string | null;
  kind: string | null;
  channel: string | null;
  campaign_id: string | null;
  source: string | null;
  medium: string | null;
  content: string | null;
}

@QueryHandler(OpportunityAttributionQuery)
export class OpportunityAttributionHandler implements IQueryHandler<OpportunityAttributionQuery> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ opportunityId, rules, basis, minPosition }: OpportunityAttributionQuery): Promise<OpportunityAttribution | null> {
    const view = await this.readModels.open([ATTRIBUTION_PROJECTION], minPosition);
    const stored = isStored(rules);
    const credits = stored ? await storedCredits(view, opportunityId, rules.model, basis) : await computedCredits(view, opportunityId, rules, basis);
    if (credits.length === 0) return null;
    return {
      opportunityId,
      model: rules.model,
      basis,
      anchorAt: credits[0].anchorAt,
      amountMinor: credits.reduce((sum, credit) => sum + credit.creditMinor, 0),
      currency: credits[0].currency,
      lookbackDays: rules.lookbackDays,
      stored,
      credits: [...credits].sort((a, b) => a.ordinal - b.ordinal).map((credit) => ({
        touchpointId: credit.touchpointId,
        occurredAt: credit.occurredAt,
        kind: credit.kind,
        channel: credit.channel,
        campaignId: credit.campaignId,
        source: credit.source,
        medium: credit.medium,
        content: credit.content,
        positions: credit.positions,
        share: Number(credit.share),
        exactShare: credit.share,
        amountMinor: credit.creditMinor,
      })),
    };
  }
}

async function storedCredits(view: ReadModelView, opportunityId: string, model: string, basis: Basis): Promise<CreditRow[]> {
  const rows = await view.query<StoredCreditRow>(
    `SELECT touchpoint_id, ordinal, ${utcText('anchor_at')} AS anchor_at, currency, share::text AS share, credit_minor::text AS credit_minor, positions,
            ${utcText('occurred_at')} AS occurred_at, kind, channel, campaign_id, source, medium, content
       FROM ${view.table(ATTRIBUTION_PROJECTION, 'credits')}
      WHERE opportunity_id = $1 AND basis = $2 AND model = ANY($3::text[])`,
    [opportunityId, basis, storedModelKeys(model)],
  );
  return rows.map((row) => ({
    opportunityId,
    basis,
    model,
    touchpointId: row.touchpoint_id,
    ordinal: row.ordinal,
    anchorAt: row.anchor_at,
    currency: row.currency,
    share: row.share,
    creditMinor: Number(row.credit_minor),
    positions: row.positions,
    occurredAt: row.occurred_at,
    kind: row.kind,
    channel: row.channel,
    campaignId: row.campaign_id,
    source: row.source,
    medium: row.medium,
    content: row.content,
  }));
}

async function computedCredits(view: ReadModelView, opportunityId: string, rules: CreditRules, basis: Basis): Promise<CreditRow[]> {
  const [journey] = await readDealJourneys(attributionSql(view), [opportunityId], rules.lookbackDays);
  if (!journey) return [];
  return dealCredits(journey, {
    models: [modelOf(rules)],
    bases: [basis],
    lookbackDays: rules.lookbackDays,
    kinds: rules.kinds ?? undefined,
    channels: rules.channels ?? undefined,
  });
}
