import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { contactDecider, contactStreamName, type CaptureLead } from '@revops/domain';
import { EventStore } from '@revops/event-store';
import { JoinCompanyAccountCommand } from '../../accounts/commands/join-company-account.handler';
import type { WriteContext } from '../../common/api-caller';
import type { WriteResult } from '../../common/write-result';
import { contactWritten, type ContactWriteResult } from './contact-write-result';

export type LeadCaptureResult = ContactWriteResult & {
  readonly accountId: string | null;
  readonly account: WriteResult | null;
};

export class CaptureLeadCommand extends Command<LeadCaptureResult> {
  constructor(
    readonly data: Omit<CaptureLead['data'], 'capturedAt'>,
    readonly context: WriteContext,
  ) {
    super();
  }
}

/**
 * The lead is the fact that matters and is written first; filing it under its company's
 * account follows. The two are separate streams without a shared transaction: if the
 * account write fails the lead stands and the error is reported.
 */
@CommandHandler(CaptureLeadCommand)
export class CaptureLeadHandler implements ICommandHandler<CaptureLeadCommand> {
  constructor(
    private readonly eventStore: EventStore,
    private readonly commandBus: CommandBus,
  ) {}

  async execute({ data, context }: CaptureLeadCommand): Promise<LeadCaptureResult> {
    const command: CaptureLead = { type: 'CaptureLead', data: { ...data, capturedAt: context.occurredAt } };
    const captured = await this.eventStore.handle(contactStreamName(data.contactId), contactDecider, command, context);
    if (captured.state.status !== 'active') throw new Error(`Contact ${data.contactId} is not active after its capture`);
    const { email, companyName } = captured.state.details;
    const joined = await this.commandBus.execute(new JoinCompanyAccountCommand({ contactId: data.contactId, email, companyName }, context));
    return { ...contactWritten(data.contactId, captured), accountId: joined?.accountId ?? null, account: joined };
  }
}
