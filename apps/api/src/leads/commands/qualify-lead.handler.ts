import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { contactDecider, contactStreamName, type ChangeLifecycleStage, type LifecycleStage } from '@revops/domain';
import { EventStore } from '@revops/event-store';
import type { WriteContext } from '../../common/api-caller';
import { contactWritten, type ContactWriteResult } from './contact-write-result';

/** Moves a contact along the lifecycle (lead → MQL → SQL…), or back with a reason. */
export class QualifyLeadCommand extends Command<ContactWriteResult> {
  constructor(
    readonly data: { readonly contactId: string; readonly stage: LifecycleStage; readonly reason: string | null },
    readonly context: WriteContext,
  ) {
    super();
  }
}

@CommandHandler(QualifyLeadCommand)
export class QualifyLeadHandler implements ICommandHandler<QualifyLeadCommand> {
  constructor(private readonly eventStore: EventStore) {}

  async execute({ data, context }: QualifyLeadCommand): Promise<ContactWriteResult> {
    const { contactId, stage, reason } = data;
    const command: ChangeLifecycleStage = {
      type: 'ChangeLifecycleStage',
      data: { contactId, to: stage, reason, changedAt: context.occurredAt },
    };
    const result = await this.eventStore.handle(contactStreamName(contactId), contactDecider, command, context);
    return contactWritten(contactId, result);
  }
}
