import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { pipelineDecider, pipelineStreamName, type PipelineStage } from '@revops/domain';
import { EventStore } from '@revops/event-store';
import type { WriteContext } from '../../common/api-caller';
import { writeResultOf, type WriteResult } from '../../common/write-result';

export type PipelineWriteResult = WriteResult & { readonly pipelineId: string };

export class DefinePipelineCommand extends Command<PipelineWriteResult> {
  constructor(
    readonly data: { readonly pipelineId: string; readonly name: string; readonly stages: readonly PipelineStage[] },
    readonly context: WriteContext,
  ) {
    super();
  }
}

@CommandHandler(DefinePipelineCommand)
export class DefinePipelineHandler implements ICommandHandler<DefinePipelineCommand> {
  constructor(private readonly eventStore: EventStore) {}

  async execute({ data, context }: DefinePipelineCommand): Promise<PipelineWriteResult> {
    const command = { type: 'DefinePipeline', data: { ...data, definedAt: context.occurredAt } } as const;
    const result = await this.eventStore.handle(pipelineStreamName(data.pipelineId), pipelineDecider, command, context);
    return { pipelineId: data.pipelineId, ...writeResultOf(result) };
  }
}
