import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { EventStore } from '@revops/event-store';

/** Up when the event store answers a one-event read of $all within EventStore's ping timeout. */
@Injectable()
export class EventStoreHealthIndicator {
  constructor(
    private readonly eventStore: EventStore,
    private readonly indicators: HealthIndicatorService,
  ) {}

  pingCheck<const Key extends string>(key: Key) {
    return this.indicators.check(key).attempt(() => this.eventStore.ping());
  }
}
