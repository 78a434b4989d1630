import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { opportunityDecider, opportunityStreamName, type AddContactRole, type BuyingRole } from '@revops/domain';
import { EventStore } from '@revops/event-store';
import type { WriteContext } from '../../common/api-caller';
import { OpportunityReferences } from '../opportunity-references';
import { opportunityWritten, type OpportunityWriteResult } from './opportunity-write-result';

export class AddOpportunityContactCommand extends Command<OpportunityWriteResult> {
  constructor(
    readonly data: { readonly opportunityId: string; readonly contactId: string; readonly role: BuyingRole },
    readonly context: WriteContext,
  ) {
    super();
  }
}

@CommandHandler(AddOpportunityContactCommand)
export class AddOpportunityContactHandler implements ICommandHandler<AddOpportunityContactCommand> {
  constructor(
    private readonly eventStore: EventStore,
    private readonly references: OpportunityReferences,
  ) {}

  async execute({ data, context }: AddOpportunityContactCommand): Promise<OpportunityWriteResult> {
    await this.references.requireContacts([data.contactId]);
    const command: AddContactRole = { type: 'AddContactRole', data: { ...data, addedAt: context.occurredAt } };
    const result = await this.eventStore.handle(opportunityStreamName(data.opportunityId), opportunityDecider, command, context);
    return opportunityWritten(data.opportunityId, result);
  }
}
