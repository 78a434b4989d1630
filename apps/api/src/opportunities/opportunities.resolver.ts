import { randomUUID } from 'node:crypto';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCaller, Caller } from '../common/api-caller';
import { AddOpportunityContactCommand } from './commands/add-opportunity-contact.handler';
import { ChangeOpportunityAmountCommand } from './commands/change-opportunity-amount.handler';
import { ChangeOpportunityCloseDateCommand } from './commands/change-opportunity-close-date.handler';
import { ChangeOpportunityStageCommand } from './commands/change-opportunity-stage.handler';
import { CloseOpportunityLostCommand } from './commands/close-opportunity-lost.handler';
import { CloseOpportunityWonCommand } from './commands/close-opportunity-won.handler';
import { OpenOpportunityCommand } from './commands/open-opportunity.handler';
import { ReopenOpportunityCommand } from './commands/reopen-opportunity.handler';
import {
  AddOpportunityContactInput,
  ChangeOpportunityAmountInput,
  ChangeOpportunityCloseDateInput,
  ChangeOpportunityStageInput,
  CloseOpportunityLostInput,
  CloseOpportunityWonInput,
  OpenOpportunityInput,
  OpportunityReceipt,
  ReopenOpportunityInput,
} from './graphql/opportunity.types';

@Resolver()
export class OpportunitiesResolver {
  constructor(private readonly commandBus: CommandBus) {}

  @Mutation(() => OpportunityReceipt, {
    description: 'Opens a deal with an existing account in a stage of a pipeline; the owner defaults to the acting user',
  })
  openOpportunity(@Args('input') input: OpenOpportunityInput, @Caller() caller: ApiCaller): Promise<OpportunityReceipt> {
    const { opportunityId, name, accountId, contactRoles, pipelineId, stageId, amount, expectedCloseDate, ownerId } = input;
    return this.commandBus.execute(
      new OpenOpportunityCommand(
        {
          opportunityId: opportunityId ?? randomUUID(),
          name,
          accountId,
          contactRoles,
          pipelineId,
          stageId,
          amount,
          expectedCloseDate,
          ownerId: ownerId ?? null,
        },
        caller.commandContext(input.occurredAt),
      ),
    );
  }

  @Mutation(() => OpportunityReceipt, { description: "Moves an open deal to another of its pipeline's current stages" })
  changeOpportunityStage(@Args('input') input: ChangeOpportunityStageInput, @Caller() caller: ApiCaller): Promise<OpportunityReceipt> {
    const { opportunityId, stageId } = input;
    return this.commandBus.execute(new ChangeOpportunityStageCommand({ opportunityId, stageId }, caller.commandContext(input.occurredAt)));
  }

  @Mutation(() => OpportunityReceipt, { description: "Changes an open deal's expected value, keeping its currency" })
  changeOpportunityAmount(@Args('input') input: ChangeOpportunityAmountInput, @Caller() caller: ApiCaller): Promise<OpportunityReceipt> {
    const { opportunityId, amount } = input;
    return this.commandBus.execute(new ChangeOpportunityAmountCommand({ opportunityId, amount }, caller.commandContext(input.occurredAt)));
  }

  @Mutation(() => OpportunityReceipt, { description: "Changes an open deal's expected close day" })
  changeOpportunityCloseDate(
    @Args('input') input: ChangeOpportunityCloseDateInput,
    @Caller() caller: ApiCaller,
  ): Promise<OpportunityReceipt> {
    const { opportunityId, expectedCloseDate } = input;
    return this.commandBus.execute(
      new ChangeOpportunityCloseDateCommand({ opportunityId, expectedCloseDate }, caller.commandContext(input.occurredAt)),
    );
  }

  @Mutation(() => OpportunityReceipt, { description: 'Adds an existing contact to an open deal in a buying role' })
  addOpportunityContact(@Args('input') input: AddOpportunityContactInput, @Caller() caller: ApiCaller): Promise<OpportunityReceipt> {
    const { opportunityId, contactId, role } = input;
    return this.commandBus.execute(
      new AddOpportunityContactCommand({ opportunityId, contactId, role }, caller.commandContext(input.occurredAt)),
    );
  }

  @Mutation(() => OpportunityReceipt, { description: 'Closes a deal as won, with the amount signed' })
  closeOpportunityWon(@Args('input') input: CloseOpportunityWonInput, @Caller() caller: ApiCaller): Promise<OpportunityReceipt> {
    const { opportunityId, wonAmount } = input;
    return this.commandBus.execute(new CloseOpportunityWonCommand({ opportunityId, wonAmount }, caller.commandContext(input.occurredAt)));
  }

  @Mutation(() => OpportunityReceipt, { description: 'Closes a deal as lost, with the reason' })
  closeOpportunityLost(@Args('input') input: CloseOpportunityLostInput, @Caller() caller: ApiCaller): Promise<OpportunityReceipt> {
    const { opportunityId, reason, note } = input;
    return this.commandBus.execute(
      new CloseOpportunityLostCommand({ opportunityId, reason, note: note ?? null }, caller.commandContext(input.occurredAt)),
    );
  }

  @Mutation(() => OpportunityReceipt, { description: 'Reopens a closed deal into one of its pipeline stages' })
  reopenOpportunity(@Args('input') input: ReopenOpportunityInput, @Caller() caller: ApiCaller): Promise<OpportunityReceipt> {
    const { opportunityId, stageId, reason } = input;
    return this.commandBus.execute(
      new ReopenOpportunityCommand({ opportunityId, stageId, reason: reason ?? null }, caller.commandContext(input.occurredAt)),
    );
  }
}
