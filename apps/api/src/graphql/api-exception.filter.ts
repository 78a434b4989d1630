import { Catch, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { GqlContextType } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { explainedErrors, httpStatusOf, toPublicError } from './public-error';

/**
 * Turns expected refusals (bad input, domain rules, write conflicts, the store being
 * down) into public errors, for GraphQL and plain HTTP alike. Catching them here also
 * keeps them out of Nest's error log, which is for faults. In GraphQL a fault is rethrown
 * untouched: the error formatter logs it and answers "Internal server error".
 */
@Catch(...explainedErrors)
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): GraphQLError | void {
    const error = toPublicError(exception);
    const graphql = host.getType<GqlContextType>() === 'graphql';
    if (error === null) {
      if (graphql) throw exception;
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
      const body = { message: 'Internal server error', code: 'INTERNAL_SERVER_ERROR' };
      this.adapterHost.httpAdapter.reply(host.switchToHttp().getResponse(), body, HttpStatus.INTERNAL_SERVER_ERROR);
      return;
    }

    const extensions = { code: error.code, ...(error.fieldErrors && { fieldErrors: error.fieldErrors }) };
    if (graphql) {
      return new GraphQLError(error.message, { extensions });
    }
    this.adapterHost.httpAdapter.reply(host.switchToHttp().getResponse(), { message: error.message, ...extensions }, httpStatusOf(error));
  }
}
