import { commandContextFrom } from './command-context';

const actor = { type: 'user', id: 'user-1' } as const;

describe('commandContextFrom', () => {
  it('keeps the caller correlation id', () => {
    const context = commandContextFrom({ 'x-correlation-id': 'trace-42' }, { source: 'api', actor });
    expect(context.correlationId).toBe('trace-42');
  });

  it('starts a new correlation when the caller sends none', () => {
    const first = commandContextFrom({}, { source: 'api', actor });
    const second = commandContextFrom({}, { source: 'api', actor });
    expect(first.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.correlationId).not.toBe(second.correlationId);
  });

  it('replaces a correlation header that could not be stored safely', () => {
    const context = commandContextFrom({ 'x-correlation-id': 'a b\n<script>' }, { source: 'api', actor });
    expect(context.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('names every command with a causation id of its own', () => {
    const headers = { 'x-correlation-id': 'trace-42' };
    const first = commandContextFrom(headers, { source: 'api', actor });
    const second = commandContextFrom(headers, { source: 'api', actor });
    expect(first.causationId).not.toBe(second.causationId);
  });

  it('takes the business time given, or now', () => {
    const given = commandContextFrom({}, { source: 'tracker', actor, occurredAt: '2024-03-01T09:30:00.000Z' });
    expect(given.occurredAt).toBe('2024-03-01T09:30:00.000Z');
    const now = commandContextFrom({}, { source: 'tracker', actor });
    expect(Math.abs((now.occurredAt as Date).getTime() - Date.now())).toBeLessThan(1000);
  });
});
