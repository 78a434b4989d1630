import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { EventStoreHealthIndicator } from './event-store.health';
import { HealthController } from './health.controller';
import { VersionResolver } from './version.resolver';

/** What operators and deploy tooling ask of a running api: is it healthy, which build is it. */
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
  controllers: [HealthController],
  providers: [EventStoreHealthIndicator, VersionResolver],
})
export class OpsModule {}
