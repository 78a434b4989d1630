import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * Node's own figures (CPU, memory, event-loop delay, garbage collection, handles), collected
 * once per process however many applications it runs: a second collection would watch the
 * same process again and count it twice.
 */
let processRegistry: Registry | undefined;

function processMetrics(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * What an application answers at `GET /metrics`, in Prometheus' text format: Node's process
 * metrics and those registered on `registry`. A source whose figures are read from elsewhere
 * (the read store, the event store) registers a refresh with `onScrape`, run before each
 * scrape is written; each refresh handles its own failures, so one source that cannot be read
 * leaves the others in the answer. Scrapes that overlap (two Prometheus servers) take turns, so
 * that one's refresh never empties a gauge another is writing out.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  // Watched from the start, so that garbage collection and event-loop delay are counted
  // before the first scrape as well.
  private readonly node = processMetrics();
  private readonly refreshes: (() => Promise<void>)[] = [];
  private previous: Promise<unknown> = Promise.resolve();

  onScrape(refresh: () => Promise<void>): void {
    this.refreshes.push(refresh);
  }

  scrape(): Promise<string> {
    const turn = this.previous.then(() => this.render());
    this.previous = turn.catch(() => undefined);
    return turn;
  }

  private async render(): Promise<string> {
    await Promise.all(this.refreshes.map((refresh) => refresh()));
    const [node, own] = await Promise.all([this.node.metrics(), this.registry.metrics()]);
    return `${node}${own}`;
  }
}

/** The media type of `Metrics.scrape`'s answer. */
export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;
