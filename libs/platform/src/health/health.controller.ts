import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { EventStoreHealthIndicator } from './event-store.health';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly postgres: TypeOrmHealthIndicator,
    private readonly eventStore: EventStoreHealthIndicator,
  ) {}

  /** 200 with `status: "ok"` when both stores answer, 503 naming the one that does not. */
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.eventStore.pingCheck('eventStore'),
      // Embedded PostgreSQL serves one session: a long transaction makes this wait, hence the margin.
      () => this.postgres.pingCheck('postgres').withTimeout(3_000),
    ]);
  }
}
