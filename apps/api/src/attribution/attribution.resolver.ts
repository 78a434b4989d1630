import { Args, Query, Resolver } from '@nestjs/graphql';
import { QueryBus } from '@nestjs/cqrs';
import type { PositionWeights } from '@revops/attribution';
import { positionOf } from '../common/read-side/position.input';
import {
  AttributionArgs,
  AttributionComparison,
  AttributionComparisonArgs,
  AttributionReport,
  CampaignPerformance,
  CampaignPerformanceArgs,
  DataDrivenAttribution,
  DataDrivenAttributionArgs,
  OpportunityAttribution,
  OpportunityAttributionArgs,
  type CreditRulesArgs,
} from './graphql/attribution.types';
import { attributionRequest, creditRules, type CreditRulesInput } from './queries/attribution-request';
import type * as report from './queries/attribution-report';
import { AttributionComparisonQuery, AttributionQuery, type AttributionComparison as Comparison } from './queries/attribution.query';
import { CampaignPerformanceQuery, type CampaignPerformance as Performance } from './queries/campaign-performance.query';
import { dataDrivenRequest, DataDrivenAttributionQuery, type DataDrivenAttribution as DataDriven } from './queries/data-driven-attribution.query';
import { OpportunityAttributionQuery, type OpportunityAttribution as DealAttribution } from './queries/opportunity-attribution.query';

/** Which marketing produced the pipeline and revenue: per deal, per period, per model, and learned from every journey. */
@Resolver()
export class AttributionResolver {
  constructor(private readonly queryBus: QueryBus) {}

  @Query(() => AttributionReport, {
    description:
      'Credits of the deals anchored in [from, to) in one currency, by dimension, with spend, leads, ROI, ROAS, cost per lead and CAC, and a total that reconciles with the period',
  })
  attribution(@Args() args: AttributionArgs): Promise<report.AttributionReport> {
    const request = attributionRequest(rulesInput(args, args.model), { ...args, minPosition: positionOf(args.minPosition) });
    return this.queryBus.execute(new AttributionQuery(request));
  }

  @Query(() => AttributionComparison, { description: 'The attribution report under several models, side by side' })
  attributionComparison(@Args() args: AttributionComparisonArgs): Promise<Comparison> {
    const minPosition = positionOf(args.minPosition);
    const requests = [...new Set(args.models)].map((model) => attributionRequest(rulesInput(args, model), { ...args, minPosition }));
    return this.queryBus.execute(new AttributionComparisonQuery(requests));
  }

  @Query(() => OpportunityAttribution, {
    nullable: true,
    description: "Each touch of one deal's journey with its positions, share and amount; null for an unknown deal, or a deal not won on the REVENUE basis",
  })
  opportunityAttribution(@Args() args: OpportunityAttributionArgs): Promise<DealAttribution | null> {
    return this.queryBus.execute(
      new OpportunityAttributionQuery(args.opportunityId, creditRules(rulesInput(args, args.model)), args.basis, positionOf(args.minPosition)),
    );
  }

  @Query(() => DataDrivenAttribution, {
    description: 'MARKOV removal effects or SHAPLEY values learned from every journey of the period, converting or not; cached until inputs change',
  })
  dataDrivenAttribution(@Args() { minPosition, ...args }: DataDrivenAttributionArgs): Promise<DataDriven> {
    return this.queryBus.execute(new DataDrivenAttributionQuery(dataDrivenRequest(args), positionOf(minPosition)));
  }

  @Query(() => CampaignPerformance, {
    description: 'By campaign over [from, to): spend, leads, MQLs, and opportunities, pipeline and revenue credited under the model',
  })
  campaignPerformance(@Args() args: CampaignPerformanceArgs): Promise<Performance> {
    const request = attributionRequest(rulesInput(args, args.model), {
      ...args,
      basis: 'PIPELINE',
      groupBy: 'campaign',
      minPosition: positionOf(args.minPosition),
    });
    return this.queryBus.execute(new CampaignPerformanceQuery(request));
  }
}

function rulesInput(args: CreditRulesArgs, model: CreditRulesInput['model']): CreditRulesInput {
  return {
    model,
    lookbackDays: args.lookbackDays,
    halfLifeDays: args.halfLifeDays,
    customWeights: args.customWeights ? (withoutNulls(args.customWeights) as PositionWeights) : null,
    kinds: args.filters?.kinds,
    channels: args.filters?.channels,
  };
}

function withoutNulls<Value extends object>(value: Value): Partial<Value> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== null && entry !== undefined)) as Partial<Value>;
}
