import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { opportunityDecider, opportunityStreamName, type ChangeStage } from '@revops/domain';
import { EventStore } from '@revops/event-store';
import type { WriteContext } from '../../common/api-caller';
import { OpportunityReferences } from '../opportunity-references';
import { opportunityWritten, type OpportunityWriteResult } from './opportunity-write-result';

export class ChangeOpportunityStageCommand extends Command<OpportunityWriteResult> {
  constructor(
    readonly data: { readonly opportunityId: string; readonly stageId: string },
    readonly context: WriteContext,
  ) {
    super();
  }
}

@CommandHandler(ChangeOpportunityStageCommand)
export class ChangeOpportunityStageHandler implements ICommandHandler<ChangeOpportunityStageCommand> {
  constructor(
    private readonly eventStore: EventStore,
    private readonly references: OpportunityReferences,
  ) {}

  async execute({ data, context }: ChangeOpportunityStageCommand): Promise<OpportunityWriteResult> {
    const pipeline = await this.references.stagesFor(data.opportunityId);
    const command: ChangeStage = { type: 'ChangeStage', data: { ...data, pipeline, changedAt: context.occurredAt } };
    const result = await this.eventStore.handle(opportunityStreamName(data.opportunityId), opportunityDecider, command, context);
    return opportunityWritten(data.opportunityId, result);
  }
}
