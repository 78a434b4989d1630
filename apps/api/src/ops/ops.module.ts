import { Module } from '@nestjs/common';
import { HealthModule } from '@revops/platform';
import { VersionResolver } from './version.resolver';

/** What operators and deploy tooling ask of a running api: is it healthy, which build is it. */
@Module({
  imports: [HealthModule],
  providers: [VersionResolver],
})
export class OpsModule {}
