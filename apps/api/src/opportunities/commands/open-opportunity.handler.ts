import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { opportunityDecider, opportunityStreamName, type ContactRole, type Money, type OpenOpportunity } from '@revops/domain';
import { EventStore } from '@revops/event-store';
import { actingUserId, type WriteContext } from '../../common/api-caller';
import { OpportunityReferences } from '../opportunity-references';
import { opportunityWritten, type OpportunityWriteResult } from './opportunity-write-result';

export class OpenOpportunityCommand extends Command<OpportunityWriteResult> {
  constructor(
    readonly data: {
      readonly opportunityId: string;
      readonly name: string;
      readonly accountId: string;
      readonly contactRoles: readonly ContactRole[];
      readonly pipelineId: string;
      readonly stageId: string;
      readonly amount: Money;
      readonly expectedCloseDate: string;
      /** Null: the acting user owns the deal. */
      readonly ownerId: string | null;
    },
    readonly context: WriteContext,
  ) {
    super();
  }
}

@CommandHandler(OpenOpportunityCommand)
export class OpenOpportunityHandler implements ICommandHandler<OpenOpportunityCommand> {
  constructor(
    private readonly eventStore: EventStore,
    private readonly references: OpportunityReferences,
  ) {}

  async execute({ data, context }: OpenOpportunityCommand): Promise<OpportunityWriteResult> {
    const { pipelineId, ownerId, ...opening } = data;
    const ownedBy = ownerId ?? actingUserId(context, 'ownerId');
    const [pipeline] = await Promise.all([
      this.references.stagesOfPipeline(pipelineId),
      this.references.requireAccount(data.accountId),
      this.references.requireContacts(data.contactRoles.map((each) => each.contactId)),
    ]);
    const command: OpenOpportunity = {
      type: 'OpenOpportunity',
      data: { ...opening, pipeline, ownerId: ownedBy, openedAt: context.occurredAt },
    };
    const result = await this.eventStore.handle(opportunityStreamName(data.opportunityId), opportunityDecider, command, context);
    return opportunityWritten(data.opportunityId, result);
  }
}
