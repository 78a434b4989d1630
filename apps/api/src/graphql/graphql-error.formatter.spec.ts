import type { LoggerService } from '@nestjs/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
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
});
