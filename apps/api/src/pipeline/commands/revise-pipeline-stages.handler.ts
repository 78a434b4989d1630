import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { pipelineDecider, pipelineStreamName, type PipelineStage } from '@revops/domain';
import { EventStore } from '@revops/event-store';
import type { WriteContext } from '../../common/api-caller';
import { writeResultOf } from '../../common/write-result';
import type { PipelineWriteResult } from './define-pipeline.handler';

export class RevisePipelineStagesCommand extends Command<PipelineWriteResult> {
  constructor(
    readonly data: { readonly pipelineId: string; readonly stages: readonly PipelineStage[] },
    readonly context: WriteContext,
  ) {
    super();
  }
}

@CommandHandler(RevisePipelineStagesCommand)
export class RevisePipelineStagesHandler implements ICommandHandler<RevisePipelineStagesCommand> {
  constructor(private readonly eventStore: EventStore) {}

  async execute({ data, context }: RevisePipelineStagesCommand): Promise<PipelineWriteResult> {
    const command = { type: 'ReviseStages', data: { ...data, revisedAt: context.occurredAt } } as const;
    const result = await this.eventStore.handle(pipelineStreamName(data.pipelineId), pipelineDecider, command, context);
    return { pipelineId: data.pipelineId, ...writeResultOf(result) };
  }
}
