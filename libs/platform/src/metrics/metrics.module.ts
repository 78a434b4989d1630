import { Global, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { httpMetrics } from './http-metrics';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';

/**
 * `GET /metrics` of a process, the `Metrics` its other modules register their figures with,
 * and the latency of every HTTP request the application answers.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [Metrics],
  exports: [Metrics],
})
export class MetricsModule implements NestModule {
  constructor(private readonly metrics: Metrics) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(httpMetrics(this.metrics.registry)).forRoutes('*');
  }
}
