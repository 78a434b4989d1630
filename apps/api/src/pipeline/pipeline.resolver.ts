import { randomUUID } from 'node:crypto';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCaller, Caller } from '../common/api-caller';
import { DefinePipelineCommand } from './commands/define-pipeline.handler';
import { DefinePipelineInput, PipelineReceipt } from './graphql/pipeline.types';

@Resolver()
export class PipelineResolver {
  constructor(private readonly commandBus: CommandBus) {}

  @Mutation(() => PipelineReceipt, { description: 'Defines a sales pipeline and its open stages' })
  definePipeline(@Args('input') input: DefinePipelineInput, @Caller() caller: ApiCaller): Promise<PipelineReceipt> {
    const { pipelineId, name, stages } = input;
    return this.commandBus.execute(
      new DefinePipelineCommand({ pipelineId: pipelineId ?? randomUUID(), name, stages }, caller.commandContext(input.occurredAt)),
    );
  }
}
