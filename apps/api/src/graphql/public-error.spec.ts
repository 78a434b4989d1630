import { DomainError, invalidField, opportunityAlreadyClosed, opportunityNotFound, unknownStage } from '@revops/domain';
import { ConcurrencyConflictError, EventStoreUnavailableError, InvalidEventError } from '@revops/event-store';
import { ProjectionNotReadyError, ProjectionTimeoutError } from '@revops/projections';
import { InputValidationError } from '../common/validation/input-validation.error';
import { httpStatusOf, toPublicError } from './public-error';

describe('toPublicError', () => {
  it('reports a value rule as BAD_USER_INPUT with the field', () => {
    const error = invalidField('INVALID_CURRENCY', 'amount.currency', 'must be an upper-case ISO 4217 currency code such as EUR');

    expect(toPublicError(error)).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'amount.currency must be an upper-case ISO 4217 currency code such as EUR',
      fieldErrors: [{ field: 'amount.currency', message: 'amount.currency must be an upper-case ISO 4217 currency code such as EUR' }],
    });
  });

  it('keeps a business rule code and the field it names', () => {
    expect(toPublicError(unknownStage('signed', 'pipeline-1', 2))).toEqual({
      code: 'UNKNOWN_STAGE',
      message: 'stageId signed is not a stage of pipeline pipeline-1 (revision 2)',
      fieldErrors: [{ field: 'stageId', message: 'stageId signed is not a stage of pipeline pipeline-1 (revision 2)' }],
    });
  });

  it('reports a refusal about the aggregate without field errors', () => {
    expect(toPublicError(opportunityAlreadyClosed('opp-1', 'won'))).toEqual({
      code: 'OPPORTUNITY_ALREADY_CLOSED',
      message: 'Opportunity opp-1 is closed won; reopen it to change it',
    });
  });

  it('tells a read that its read model did not catch up in time, so it can retry instead of showing stale rows', () => {
    const error = toPublicError(new ProjectionTimeoutError('Projection opportunities did not reach position 10/10 within 50 ms'));

    expect(error).toEqual({ code: 'PROJECTION_TIMEOUT', message: 'Projection opportunities did not reach position 10/10 within 50 ms' });
    expect(httpStatusOf(error!)).toBe(503);
  });

  it('reports a read model that never caught up as PROJECTION_NOT_READY', () => {
    expect(toPublicError(new ProjectionNotReadyError('No version of projection pipelines has caught up yet'))?.code).toBe(
      'PROJECTION_NOT_READY',
    );
  });

  it('reports a missing aggregate as NOT_FOUND', () => {
    expect(toPublicError(opportunityNotFound('opp-9'))).toEqual({ code: 'NOT_FOUND', message: 'Opportunity opp-9 does not exist' });
  });

  it('reports input validation with every field error', () => {
    const fieldErrors = [
      { field: 'name', message: 'name is required and must be non-empty text' },
      { field: 'amount.amountMinor', message: 'amountMinor must not be less than 0' },
    ];

    expect(toPublicError(new InputValidationError(fieldErrors))).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors });
  });

  it('reports retries running out as CONFLICT', () => {
    const conflict = new ConcurrencyConflictError('opportunity-1', '4', 7n, { attempts: 4 });

    expect(toPublicError(conflict)).toEqual({
      code: 'CONFLICT',
      message: 'opportunity-1 kept changing while this command was decided; read it again and retry',
    });
  });

  it('reports the event store being down as SERVICE_UNAVAILABLE without its details', () => {
    expect(toPublicError(new EventStoreUnavailableError('connect ECONNREFUSED 10.0.0.7:2113'))).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      message: 'The event store is unavailable; nothing was written, retry later',
    });
  });

  it.each([
    [
      'a broken channel rule, which is server configuration',
      new DomainError('INVALID_CHANNEL_RULE', 'rules[3].match is unknown', 'rules[3].match'),
    ],
    ['a malformed event', new InvalidEventError('occurredAt must be an ISO-8601 date-time with a zone')],
    ['any other error', new TypeError('Cannot read properties of undefined')],
  ])('keeps %s internal', (_case, error) => {
    expect(toPublicError(error)).toBeNull();
  });

  it.each([
    ['BAD_USER_INPUT', 400],
    ['NOT_FOUND', 404],
    ['CONFLICT', 409],
    ['SERVICE_UNAVAILABLE', 503],
    ['OPPORTUNITY_ALREADY_CLOSED', 422],
  ] as const)('answers %s over plain HTTP with status %i', (code, status) => {
    expect(httpStatusOf({ code, message: '' })).toBe(status);
  });
});
