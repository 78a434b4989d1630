import type { ArgumentMetadata } from '@nestjs/common';
import { CaptureLeadInput, ScoreLeadInput } from '../../leads/graphql/lead.types';
import { OpenOpportunityInput } from '../../opportunities/graphql/opportunity.types';
import { DefinePipelineInput } from '../../pipeline/graphql/pipeline.types';
import { MoneyInput } from '../graphql/command-input.types';
import { InputValidationError, type FieldError } from './input-validation.error';
import { inputValidationPipe } from './validation.pipe';

const argument = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'body', metatype, data: 'input' });

function opening(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Acme fleet rollout',
    accountId: 'account-1',
    contactRoles: [{ contactId: 'contact-1', role: 'CHAMPION' }],
    pipelineId: 'new-business',
    stageId: 'discovery',
    amount: { amountMinor: 2_500_000_000, currency: 'EUR' },
    expectedCloseDate: '2024-06-28',
    occurredAt: '2024-03-08T11:00:00Z',
    ...overrides,
  };
}

async function fieldErrorsFor(metatype: ArgumentMetadata['metatype'], value: unknown): Promise<FieldError[]> {
  const refusal = await inputValidationPipe()
    .transform(value, argument(metatype))
    .then(
      () => null,
      (error: unknown) => error,
    );
  expect(refusal).toBeInstanceOf(InputValidationError);
  return (refusal as InputValidationError).fieldErrors.slice();
}

describe('Input validation', () => {
  it('accepts a valid input and hands the resolver class instances', async () => {
    const input = await inputValidationPipe().transform(opening(), argument(OpenOpportunityInput));

    expect(input).toBeInstanceOf(OpenOpportunityInput);
    expect(input.amount).toBeInstanceOf(MoneyInput);
  });

  const currencyRule = 'currency must be an upper-case ISO 4217 currency code such as EUR';
  const dayRule = 'expectedCloseDate must be a calendar date such as 2024-03-31';
  const timeRule = 'occurredAt must be an ISO-8601 UTC timestamp such as 2024-03-01T09:30:00Z';

  it.each([
    ['a lower-case currency', { amount: { amountMinor: 100, currency: 'eur' } }, 'amount.currency', currencyRule],
    ['an unknown currency', { amount: { amountMinor: 100, currency: 'EURO' } }, 'amount.currency', currencyRule],
    ['a negative amount', { amount: { amountMinor: -1, currency: 'EUR' } }, 'amount.amountMinor', 'amountMinor must not be less than 0'],
    [
      'a fractional amount',
      { amount: { amountMinor: 0.5, currency: 'EUR' } },
      'amount.amountMinor',
      'amountMinor must be an integer number',
    ],
    ['a day that does not exist', { expectedCloseDate: '2024-02-30' }, 'expectedCloseDate', dayRule],
    ['a date-time where a day is expected', { expectedCloseDate: '2024-06-28T00:00:00Z' }, 'expectedCloseDate', dayRule],
    ['a business time without a zone', { occurredAt: '2024-03-08T11:00:00' }, 'occurredAt', timeRule],
    ['a business time in another zone', { occurredAt: '2024-03-08T11:00:00+01:00' }, 'occurredAt', timeRule],
    ['a name over 200 characters', { name: 'x'.repeat(201) }, 'name', 'name must be at most 200 characters'],
    ['a blank name', { name: '  ' }, 'name', 'name is required and must be non-empty text'],
    ['an id with whitespace', { accountId: 'account 1' }, 'accountId', 'accountId must not contain whitespace or control characters'],
    ['an id over 128 characters', { pipelineId: 'p'.repeat(129) }, 'pipelineId', 'pipelineId must be at most 128 characters'],
    [
      'an anonymous key as a contact id',
      { contactRoles: [{ contactId: 'contact-1', role: 'CHAMPION' }, { contactId: 'anon-42', role: 'OTHER' }] },
      'contactRoles[1].contactId',
      'contactId must not start with "anon-", which marks anonymous journeys',
    ],
    [
      'a role outside the list',
      { contactRoles: [{ contactId: 'contact-1', role: 'BOSS' }] },
      'contactRoles[0].role',
      expect.stringContaining('role must be one of'),
    ],
    ['a field the input does not have', { discount: 10 }, 'discount', 'property discount should not exist'],
  ])('refuses %s, naming the field and the rule', async (_case, overrides, field, message) => {
    expect(await fieldErrorsFor(OpenOpportunityInput, opening(overrides))).toEqual([{ field, message }]);
  });

  it('reports every broken rule, not only the first', async () => {
    const errors = await fieldErrorsFor(OpenOpportunityInput, opening({ name: '', amount: { amountMinor: -5, currency: 'XYZ' } }));

    expect(errors.map((error) => error.field)).toEqual(['name', 'amount.amountMinor', 'amount.currency']);
  });

  it('names a stage by its position in the list', async () => {
    const stages = [
      { stageId: 'discovery', name: 'Discovery', order: 10, winProbability: 10 },
      { stageId: 'demo', name: 'Demo', order: 20, winProbability: 101 },
    ];

    expect(await fieldErrorsFor(DefinePipelineInput, { name: 'New business', stages })).toEqual([
      { field: 'stages[1].winProbability', message: 'winProbability must not be greater than 100' },
    ]);
  });

  it('lets a new contact enter only as a subscriber or a lead', async () => {
    expect(await fieldErrorsFor(CaptureLeadInput, { email: 'ada@acme.com', lifecycleStage: 'mql' })).toEqual([
      { field: 'lifecycleStage', message: 'lifecycleStage must be SUBSCRIBER or LEAD for a new contact' },
    ]);
  });

  it('refuses a malformed email address', async () => {
    expect(await fieldErrorsFor(CaptureLeadInput, { email: 'ada@', lifecycleStage: 'lead' })).toEqual([
      { field: 'email', message: 'email must be an email address such as jane@example.com' },
    ]);
  });

  it('keeps lead scores between 0 and 100', async () => {
    expect(await fieldErrorsFor(ScoreLeadInput, { contactId: 'contact-1', score: 101 })).toEqual([
      { field: 'score', message: 'score must not be greater than 100' },
    ]);
  });
});
