import { Args, Query, Resolver } from '@nestjs/graphql';
import { QueryBus } from '@nestjs/cqrs';
import { positionOf } from '../common/read-side/position.input';
import { Funnel, FunnelArgs } from './graphql/funnel.types';
import { LeadQuality, LeadQualityArgs } from './graphql/lead-quality.types';
import { FunnelQuery } from './queries/funnel.query';
import type { FunnelReport } from './queries/funnel-report';
import { LeadQualityQuery } from './queries/lead-quality.query';
import type { LeadQualityReport } from './queries/lead-quality-report';

/** The marketing ↔ sales feedback loop: how leads move through the funnel and how sales judges them. */
@Resolver()
export class LeadReportsResolver {
  constructor(private readonly queryBus: QueryBus) {}

  @Query(() => Funnel, {
    description:
      'Lead → MQL → SQL → opportunity → customer for the leads that entered the funnel in [from, to): counts, step conversion rates and median days per step',
  })
  funnel(@Args() { from, to, groupBy, minPosition }: FunnelArgs): Promise<FunnelReport> {
    return this.queryBus.execute(new FunnelQuery(from, to, groupBy, positionOf(minPosition)));
  }

  @Query(() => LeadQuality, {
    description: "Sales' accept/reject verdicts given in [from, to), with reject reasons, by the channel or campaign of the lead's first touch",
  })
  leadQuality(@Args() { from, to, groupBy, minPosition }: LeadQualityArgs): Promise<LeadQualityReport> {
    return this.queryBus.execute(new LeadQualityQuery(from, to, groupBy, positionOf(minPosition)));
  }
}
