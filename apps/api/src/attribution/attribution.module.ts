import { Module } from '@nestjs/common';
import { AttributionResolver } from './attribution.resolver';
import { AttributionComparisonHandler, AttributionHandler } from './queries/attribution.query';
import { CampaignPerformanceHandler } from './queries/campaign-performance.query';
import { DataDrivenAttributionHandler } from './queries/data-driven-attribution.query';
import { OpportunityAttributionHandler } from './queries/opportunity-attribution.query';

/** Marketing attribution: rule-based reports from the credits the projection keeps, data-driven models learned on request. */
@Module({
  providers: [
    AttributionResolver,
    AttributionHandler,
    AttributionComparisonHandler,
    OpportunityAttributionHandler,
    DataDrivenAttributionHandler,
    CampaignPerformanceHandler,
  ],
})
export class AttributionModule {}
