import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import type { Request } from 'express';
import { GraphQLError } from 'graphql';
import { RecordTouchpoints } from './commands/record-touchpoints.command';
import { RecordTouchpointsResult, TouchpointInput } from './graphql/touchpoint.types';
import { ingestionContextFrom, InvalidIngestionHeaderError, type IngestionContext } from './ingestion/ingestion-context';
import { ingestionLimits } from './ingestion/ingestion-limits';
import type { TouchpointBatchResult } from './ingestion/touchpoint-batch';

@Resolver()
export class TouchpointsResolver {
  constructor(private readonly commandBus: CommandBus) {}

  @Mutation(() => RecordTouchpointsResult, {
    description:
      'Records up to 1,000 touchpoints with the semantics of POST /v1/touchpoints: each is validated on its own, valid ones are stored even when others are refused, and a touchpoint id already stored is not stored again.',
  })
  recordTouchpoints(
    @Args('touchpoints', { type: () => [TouchpointInput] }) touchpoints: TouchpointInput[],
    @Context('req') request: Request,
  ): Promise<TouchpointBatchResult> {
    if (touchpoints.length > ingestionLimits.maxItems) {
      throw badUserInput(`recordTouchpoints takes at most ${ingestionLimits.maxItems} touchpoints; split larger batches`);
    }
    const entries = touchpoints.map((touchpoint, index) => ({ index, touchpoint }));
    return this.commandBus.execute(new RecordTouchpoints(entries, contextOf(request)));
  }
}

function contextOf(request: Request): IngestionContext {
  try {
    return ingestionContextFrom(request.headers, 'api');
  } catch (error) {
    if (error instanceof InvalidIngestionHeaderError) throw badUserInput(error.message);
    throw error;
  }
}

function badUserInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}
