import { Module } from '@nestjs/common';
import { HealthModule } from '@revops/platform';
import { ResumeProjectionHandler, SkipProjectionEventHandler } from './commands/projection-fixes.handler';
import { ProjectionsResolver } from './projections.resolver';
import { ProjectionStatusesHandler } from './queries/projection-statuses.query';
import { VersionResolver } from './version.resolver';

/** What operators and deploy tooling ask of a running api: is it healthy, which build, how far its read models are, and how to get a stalled one going. */
@Module({
  imports: [HealthModule],
  providers: [VersionResolver, ProjectionsResolver, ProjectionStatusesHandler, ResumeProjectionHandler, SkipProjectionEventHandler],
})
export class OpsModule {}
