import { actingUserId, actorFrom, ApiCaller } from './api-caller';
import { InputValidationError } from './validation/input-validation.error';

describe('actorFrom', () => {
  it('takes a well-formed x-actor-id as the acting user', () => {
    expect(actorFrom({ 'x-actor-id': 'rep.ada@acme' })).toEqual({ type: 'user', id: 'rep.ada@acme' });
  });

  it.each([[{}], [{ 'x-actor-id': '' }], [{ 'x-actor-id': 'ada lovelace' }], [{ 'x-actor-id': 'x'.repeat(129) }]])(
    'treats %j as anonymous',
    (headers) => {
      expect(actorFrom(headers)).toEqual({ type: 'user', id: 'anonymous' });
    },
  );
});

describe('ApiCaller', () => {
  it('builds a context from the headers, with source api and the canonical business time', () => {
    const caller = new ApiCaller({ 'x-correlation-id': 'trace-7', 'x-actor-id': 'rep-ada' });

    expect(caller.commandContext('2024-03-15T16:20:00+00:00')).toEqual({
      correlationId: 'trace-7',
      causationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      actor: { type: 'user', id: 'rep-ada' },
      source: 'api',
      occurredAt: '2024-03-15T16:20:00.000Z',
    });
  });

  it('dates a command without a business time now', () => {
    const { occurredAt } = new ApiCaller({}).commandContext();

    expect(occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Math.abs(Date.parse(occurredAt) - Date.now())).toBeLessThan(1000);
  });
});

describe('actingUserId', () => {
  it('is the acting user', () => {
    expect(actingUserId(new ApiCaller({ 'x-actor-id': 'rep-ada' }).commandContext(), 'ownerId')).toBe('rep-ada');
  });

  it('asks an anonymous caller to name the user, by field', () => {
    expect(() => actingUserId(new ApiCaller({}).commandContext(), 'ownerId')).toThrow(
      expect.objectContaining({
        constructor: InputValidationError,
        fieldErrors: [{ field: 'ownerId', message: 'ownerId is required when the request names no actor (x-actor-id header)' }],
      }),
    );
  });
});
