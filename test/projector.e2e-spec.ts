import request from 'supertest';
import { withClient } from '@revops/read-models';
import { startProjector, type RunningProjector } from '../apps/projector/src/bootstrap';
import { useEventStore, type EventStoreHandle } from './support/event-store';
import { everyProjectionCaughtUp, scrapeUntil } from './support/metrics';
import { usePostgres, type PostgresHandle } from './support/postgres';

jest.setTimeout(120_000);

describe('projector', () => {
  describe('when started beside its stores', () => {
    let eventStore: EventStoreHandle;
    let postgres: PostgresHandle;
    let projector: RunningProjector;

    beforeAll(async () => {
      [eventStore, postgres] = await Promise.all([useEventStore(), usePostgres()]);
      projector = await startProjector({
        PORT: '0',
        EVENTSTORE_URL: eventStore.connectionString,
        DATABASE_URL: postgres.url,
        LOG_LEVEL: 'warn',
      });
    });

    afterAll(async () => {
      await projector?.close();
      await postgres?.stop();
      await eventStore?.stop();
    });

    it('reports itself healthy with the event store and PostgreSQL up', async () => {
      const response = await request(projector.url).get('/health');

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'ok', info: { eventStore: { status: 'up' }, postgres: { status: 'up' } } });
    });

    it('serves Prometheus metrics: the process, and the state of every projection version it runs', async () => {
      const response = await scrapeUntil(projector.url, everyProjectionCaughtUp);

      expect(response.status).toBe(200);
      expect(response.text).toMatch(/^process_resident_memory_bytes \d/m);
      expect(response.text).toContain('revops_projections_status_up 1');
      for (const line of everyProjectionCaughtUp) expect(response.text).toContain(line);

      // The health check and the scrape before, each timed under its route.
      await request(projector.url).get('/health');
      const next = await request(projector.url).get('/metrics');
      expect(next.text).toMatch(/^http_request_duration_seconds_count\{status_code="200",method="GET",path="\/health"\} [1-9]/m);
      expect(next.text).toMatch(/^http_request_duration_seconds_count\{status_code="200",method="GET",path="\/metrics"\} [1-9]/m);
    });

    it('has migrated the read store', async () => {
      const { rows } = await withClient(postgres.url, (client) => client.query("select to_regclass('projection_checkpoints') as name"));
      expect(rows[0].name).toBe('projection_checkpoints');
    });
  });

  it('refuses to start without the stores it projects between, naming each variable', async () => {
    await expect(startProjector({ PORT: '0', LOG_LEVEL: 'warn' })).rejects.toThrow(
      /EVENTSTORE_URL is required by the projector.*DATABASE_URL is required by the projector/,
    );
  });
});
