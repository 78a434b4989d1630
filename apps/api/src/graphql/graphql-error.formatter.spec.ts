import type { LoggerService } from '@nestjs/common';
import { buildSchema, graphql, GraphQLError, type GraphQLFormattedError } from 'graphql';
import { createGraphqlErrorFormatter } from './graphql-error.formatter';

/** Keeps what the formatter logs, to check what reaches operators. */
function recordingLogger() {
  const errors: string[] = [];
  const logger: LoggerService = {
    log: () => undefined,
    warn: () => undefined,
    error: (message: unknown) => {
      errors.push(String(message));
    },
  };
  return { logger, errors };
}

const located = {
  locations: [{ line: 1, column: 3 }],
  path: ['version'],
};

describe('GraphQL error formatter', () => {
  describe('for an error with a known code', () => {
    it('keeps the message and the code and drops every other extension', () => {
      const { logger } = recordingLogger();
      const format = createGraphqlErrorFormatter(logger);
      const formatted: GraphQLFormattedError = {
        message: 'Variable "$amount" got invalid value "ten"',
        ...located,
        extensions: { code: 'BAD_USER_INPUT', stacktrace: ['Error: at resolver.ts:10'], originalError: { statusCode: 400 } },
      };

      expect(format(formatted, new GraphQLError(formatted.message))).toEqual({
        message: 'Variable "$amount" got invalid value "ten"',
        ...located,
        extensions: { code: 'BAD_USER_INPUT' },
      });
    });
  });

  describe('for an unexpected error', () => {
    it('answers "Internal server error" and logs the cause with its stack', () => {
      const { logger, errors } = recordingLogger();
      const format = createGraphqlErrorFormatter(logger);
      const cause = new Error('relation "opportunities" does not exist');
      const formatted: GraphQLFormattedError = {
        message: cause.message,
        ...located,
        extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: cause.stack?.split('\n') },
      };

      expect(format(formatted, new GraphQLError(cause.message, { originalError: cause }))).toEqual({
        message: 'Internal server error',
        ...located,
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
      expect(errors).toEqual([cause.stack]);
    });

    it('asks the client to retry when the read store is away or every connection stays busy', () => {
      const { logger, errors } = recordingLogger();
      const format = createGraphqlErrorFormatter(logger);
      const cause = new Error('timeout exceeded when trying to connect');

      expect(
        format({ message: cause.message, ...located, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, new GraphQLError(cause.message, { originalError: cause })),
      ).toEqual({ message: 'The read store is unavailable or busy; retry shortly', ...located, extensions: { code: 'SERVICE_UNAVAILABLE' } });
      expect(errors).toEqual([]);
    });

    it('treats a code outside the public list as internal', () => {
      const { logger } = recordingLogger();
      const format = createGraphqlErrorFormatter(logger);

      expect(
        format({ message: 'pool exhausted', extensions: { code: 'ECONNRESET' } }, new Error('pool exhausted')),
      ).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    });

    it('gives an error without any code INTERNAL_SERVER_ERROR', () => {
      const { logger } = recordingLogger();
      const format = createGraphqlErrorFormatter(logger);

      expect(format({ message: 'boom' }, 'boom')).toEqual({
        message: 'Internal server error',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
    });
  });

  describe('for a refusal that names fields', () => {
    it('keeps the domain code and the field errors', () => {
      const format = createGraphqlErrorFormatter(recordingLogger().logger);
      const fieldErrors = [{ field: 'stageId', message: 'stageId signed is not a stage of pipeline p-1 (revision 1)' }];

      expect(
        format(
          { message: fieldErrors[0].message, path: ['changeOpportunityStage'], extensions: { code: 'UNKNOWN_STAGE', fieldErrors } },
          new GraphQLError(fieldErrors[0].message),
        ),
      ).toEqual({ message: fieldErrors[0].message, path: ['changeOpportunityStage'], extensions: { code: 'UNKNOWN_STAGE', fieldErrors } });
    });

    it('drops field errors that are not a list of field and message', () => {
      const format = createGraphqlErrorFormatter(recordingLogger().logger);

      expect(
        format({ message: 'no', extensions: { code: 'BAD_USER_INPUT', fieldErrors: [{ field: 3 }] } }, new GraphQLError('no')),
      ).toEqual({ message: 'no', extensions: { code: 'BAD_USER_INPUT' } });
    });
  });

  describe('for a variable that does not fit its type', () => {
    const schema = buildSchema(`
      input MoneyInput { amountMinor: Int!, currency: String! }
      input ChangeAmountInput { opportunityId: ID!, amount: MoneyInput! }
      type Query { changeAmount(input: ChangeAmountInput!): Boolean }
    `);

    /** What graphql-js reports, wrapped the way Apollo hands it to formatError. */
    async function coercionError(input: unknown): Promise<{ formatted: GraphQLFormattedError; error: GraphQLError }> {
      const result = await graphql({
        schema,
        source: 'query ($input: ChangeAmountInput!) { changeAmount(input: $input) }',
        variableValues: { input },
      });
      const reported = (result.errors ?? [])[0];
      const error = new GraphQLError(reported.message, {
        originalError: reported.originalError ?? reported,
        extensions: { code: 'BAD_USER_INPUT' },
      });
      return { formatted: { message: error.message, extensions: { code: 'BAD_USER_INPUT' } }, error };
    }

    it.each([
      ['a wrong type', { opportunityId: 'o-1', amount: { amountMinor: 'ten', currency: 'EUR' } }, 'amount.amountMinor'],
      ['an unknown nested field', { opportunityId: 'o-1', amount: { amountMinor: 1, currency: 'EUR', discount: 5 } }, 'amount.discount'],
      ['a missing field', { opportunityId: 'o-1', amount: { amountMinor: 1 } }, 'amount.currency'],
      ['an unknown field', { opportunityId: 'o-1', amount: { amountMinor: 1, currency: 'EUR' }, note: 'x' }, 'note'],
    ])('names the field for %s, relative to the input', async (_case, input, field) => {
      const { formatted, error } = await coercionError(input);
      const format = createGraphqlErrorFormatter(recordingLogger().logger);

      expect(format(formatted, error).extensions).toEqual({
        code: 'BAD_USER_INPUT',
        fieldErrors: [{ field, message: (error.originalError as Error).message }],
      });
    });
  });
});
