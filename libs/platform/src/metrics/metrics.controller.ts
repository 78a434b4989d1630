import { Controller, Get, Header } from '@nestjs/common';
import { Metrics, METRICS_CONTENT_TYPE } from './metrics';

@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  /** For Prometheus to scrape: the process's figures and the application's own. */
  @Get()
  @Header('Content-Type', METRICS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  scrape(): Promise<string> {
    return this.metrics.scrape();
  }
}
