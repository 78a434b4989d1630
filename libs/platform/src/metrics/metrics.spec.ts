import { Gauge } from 'prom-client';
import { Metrics } from './metrics';

describe('Metrics', () => {
  it("answers Node's process figures and its own, however many applications the process runs", async () => {
    const [first, second] = [new Metrics(), new Metrics()];
    new Gauge({ name: 'revops_test_widgets', help: 'Widgets', registers: [first.registry] }).set(3);

    const [one, two] = await Promise.all([first.scrape(), second.scrape()]);

    expect(one).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(one).toContain('revops_test_widgets 3');
    expect(two).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(two).not.toContain('revops_test_widgets');
    expect(one.match(/^# TYPE process_cpu_user_seconds_total /gm)).toHaveLength(1);
  });

  it('refreshes its sources before each scrape, one scrape after another when they overlap', async () => {
    const metrics = new Metrics();
    const gauge = new Gauge({ name: 'revops_test_refreshes', help: 'Refreshes so far', registers: [metrics.registry] });
    const steps: string[] = [];
    let refreshes = 0;
    metrics.onScrape(async () => {
      const n = ++refreshes;
      steps.push(`start ${n}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      gauge.set(n);
      steps.push(`end ${n}`);
    });

    const [first, second] = await Promise.all([metrics.scrape(), metrics.scrape()]);

    expect(steps).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
    expect(first).toContain('revops_test_refreshes 1');
    expect(second).toContain('revops_test_refreshes 2');
  });

  it('goes on scraping after a source failed to refresh', async () => {
    const metrics = new Metrics();
    let fail = true;
    metrics.onScrape(() => (fail ? Promise.reject(new Error('source away')) : Promise.resolve()));

    await expect(metrics.scrape()).rejects.toThrow('source away');
    fail = false;
    await expect(metrics.scrape()).resolves.toMatch(/^process_cpu_user_seconds_total \d/m);
  });
});
