import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { contactDecider, contactStreamName, type ScoreLead } from '@revops/domain';
import { EventStore } from '@revops/event-store';
import type { WriteContext } from '../../common/api-caller';
import { contactWritten, type ContactWriteResult } from './contact-write-result';

export class ScoreLeadCommand extends Command<ContactWriteResult> {
  constructor(
    readonly data: { readonly contactId: string; readonly score: number },
    readonly context: WriteContext,
  ) {
    super();
  }
}

@CommandHandler(ScoreLeadCommand)
export class ScoreLeadHandler implements ICommandHandler<ScoreLeadCommand> {
  constructor(private readonly eventStore: EventStore) {}

  async execute({ data, context }: ScoreLeadCommand): Promise<ContactWriteResult> {
    const command: ScoreLead = { type: 'ScoreLead', data: { ...data, scoredAt: context.occurredAt } };
    const result = await this.eventStore.handle(contactStreamName(data.contactId), contactDecider, command, context);
    return contactWritten(data.contactId, result);
  }
}
