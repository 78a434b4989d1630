import { Module } from '@nestjs/common';
import { HealthModule, MetricsModule } from '@revops/platform';
import { GraphqlMetricsPlugin } from '../graphql/graphql-metrics.plugin';
import { ResumeProjectionHandler, SkipProjectionEventHandler } from './commands/projection-fixes.handler';
import { ProjectionsResolver } from './projections.resolver';
import { ProjectionStatusesHandler } from './queries/projection-statuses.query';
import { VersionResolver } from './version.resolver';

/** What operators and deploy tooling ask of a running api: is it healthy, its metrics, which build, how far its read models are, and how to get a stalled one going. */
@Module({
  imports: [HealthModule, MetricsModule],
  providers: [GraphqlMetricsPlugin, VersionResolver, ProjectionsResolver, ProjectionStatusesHandler, ResumeProjectionHandler, SkipProjectionEventHandler],
})
export class OpsModule {}
