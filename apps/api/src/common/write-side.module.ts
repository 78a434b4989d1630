import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ApiExceptionFilter } from '../graphql/api-exception.filter';
import { inputValidationPipe } from './validation/validation.pipe';

/**
 * What every context's mutations share: the command bus, input validation on every
 * argument, and the one filter that turns refusals into public errors.
 */
@Module({
  imports: [CqrsModule.forRoot()],
  providers: [
    { provide: APP_PIPE, useFactory: inputValidationPipe },
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
  ],
})
export class WriteSideModule {}
