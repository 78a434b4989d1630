import {
  accountDecider,
  accountStreamName,
  contactDecider,
  contactStreamName,
  opportunityDecider,
  opportunityStreamName,
  pipelineDecider,
  pipelineStagesOf,
  pipelineStreamName,
  recordTouchpoint,
  type AccountCommand,
  type ContactCommand,
  type OpportunityCommand,
  type PipelineStages,
  type RecordTouchpoint,
} from '@revops/domain';
import { metadataFrom, type CommandContext, type EventStore, type Position } from '@revops/event-store';

export interface SalesHistory {
  /** Position of the last append: every read model has seen the whole history once past it. */
  readonly last: Position;
  readonly opportunityIds: readonly string[];
}

export interface SalesHistoryOptions {
  /** Companies, each with three leads and two deals (default 12: about 400 events). */
  readonly accounts?: number;
}

const stages = [
  { stageId: 'discovery', name: 'Discovery', order: 10, winProbability: 10 },
  { stageId: 'qualification', name: 'Qualification', order: 20, winProbability: 25 },
  { stageId: 'proposal', name: 'Proposal', order: 30, winProbability: 60 },
  { stageId: 'negotiation', name: 'Negotiation', order: 40, winProbability: 80 },
];

/** Business time `hours` after 2024-01-01 09:00 UTC. */
const at = (hours: number) => new Date(Date.UTC(2024, 0, 1, 9) + hours * 3_600_000).toISOString();

/** A touchpoint id is a UUID; a counter keeps it deterministic. */
const touchpointId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Writes a deterministic sales history through the domain's deciders, as the api's command
 * handlers do: two pipelines; per company an account, three leads with touches (some
 * qualified, accepted or rejected by sales) associated with it, and two deals that move
 * through stages, some with an amount corrected back to their opening, and are won, lost or
 * left open.
 */
export async function writeSalesHistory(store: EventStore, options: SalesHistoryOptions = {}): Promise<SalesHistory> {
  let last: Position | undefined;
  let command = 0;
  const context = (occurredAt: string): CommandContext => ({
    correlationId: `history-${++command}`,
    causationId: `history-${command}`,
    actor: { type: 'user', id: 'rep-history' },
    source: 'api',
    occurredAt,
  });
  // Companies are written side by side, so the history ends at the furthest position.
  const handled = (result: { position: Position | null }) => {
    if (result.position && (!last || result.position.commit > last.commit)) last = result.position;
  };
  const account = async (command: AccountCommand, occurredAt: string) =>
    handled(await store.handle(accountStreamName(command.data.accountId), accountDecider, command, context(occurredAt)));
  const contact = async (command: ContactCommand, occurredAt: string) =>
    handled(await store.handle(contactStreamName(command.data.contactId), contactDecider, command, context(occurredAt)));
  const opportunity = async (command: OpportunityCommand, occurredAt: string) =>
    handled(await store.handle(opportunityStreamName(command.data.opportunityId), opportunityDecider, command, context(occurredAt)));

  const pipelines = new Map<string, PipelineStages>();
  for (const [pipelineId, name] of [
    ['pl-enterprise', 'Enterprise'],
    ['pl-smb', 'SMB'],
  ]) {
    const result = await store.handle(
      pipelineStreamName(pipelineId),
      pipelineDecider,
      { type: 'DefinePipeline', data: { pipelineId, name, stages, definedAt: at(0) } },
      context(at(0)),
    );
    handled(result);
    pipelines.set(pipelineId, pipelineStagesOf(result.state, pipelineId));
  }

  const companies = Array.from({ length: options.accounts ?? 12 }, (_, index) => index + 1);
  const opportunityIds = companies.flatMap((company) => [1, 2].map((deal) => `opp-${pad(company)}-${deal}`));
  await Promise.all(companies.map(writeCompany));
  return { last: last!, opportunityIds };

  async function writeCompany(company: number): Promise<void> {
    const accountId = `acct-${pad(company)}`;
    const domain = `company${pad(company)}.example`;
    const start = company * 24;
    const created = at(start);
    await account({ type: 'CreateAccount', data: { accountId, name: `Company ${company}`, domain, createdAt: created } }, created);

    const contactIds: string[] = [];
    for (let person = 1; person <= 3; person++) {
      const contactId = `contact-${pad(company)}-${person}`;
      const captured = at(start + person);
      contactIds.push(contactId);
      const touch = (index: number) => ({
        touchpointId: touchpointId(company * 100 + person * 10 + index),
        source: 'segment',
        occurredAt: at(start + person + index * 0.25),
        contactId,
      });
      const touches: RecordTouchpoint[] = [
        { type: 'RecordTouchpoint', data: { ...touch(0), kind: 'WEB_VISIT', details: { pageUrl: `https://${domain}/pricing` } } },
        { type: 'RecordTouchpoint', data: { ...touch(1), kind: 'WEB_VISIT', details: { pageUrl: `https://${domain}/demo` } } },
        { type: 'RecordTouchpoint', data: { ...touch(2), kind: 'FORM_SUBMISSION', details: { formId: 'demo-request' } } },
      ];
      for (const command of touches) {
        const { streamName, event } = recordTouchpoint(command);
        // As ingestion appends it: no state loaded, the touchpoint id as the event id.
        const metadata = { ...metadataFrom(context(event.data.occurredAt)), source: 'tracker' };
        handled(await store.append(streamName, [{ ...event, eventId: event.data.touchpointId, metadata }], { expectedRevision: 'any' }));
      }
      await contact(
        {
          type: 'CaptureLead',
          data: {
            contactId,
            details: { email: `person${person}@${domain}`, firstName: `Person${person}`, lastName: `Of${company}` },
            lifecycleStage: 'lead',
            convertingTouch: { touchpointId: touch(2).touchpointId, source: 'segment' },
            capturedAt: captured,
          },
        },
        captured,
      );
      await account({ type: 'AssociateContact', data: { accountId, contactId, associatedAt: captured } }, captured);
      if (person === 3) continue;
      const qualified = at(start + 4 + person);
      await contact({ type: 'ChangeLifecycleStage', data: { contactId, to: 'mql', changedAt: qualified } }, qualified);
      const judged = at(start + 6 + person);
      await contact(
        (company + person) % 3 === 0
          ? { type: 'RejectLead', data: { contactId, reason: 'NO_BUDGET', rejectedBy: 'rep-sales', rejectedAt: judged } }
          : { type: 'AcceptLead', data: { contactId, acceptedBy: 'rep-sales', acceptedAt: judged } },
        judged,
      );
    }

    for (let deal = 1; deal <= 2; deal++) {
      const opportunityId = `opp-${pad(company)}-${deal}`;
      const pipelineId = deal === 1 ? 'pl-enterprise' : 'pl-smb';
      const pipeline = pipelines.get(pipelineId)!;
      const opened = start + 10 + deal;
      await opportunity(
        {
          type: 'OpenOpportunity',
          data: {
            opportunityId,
            name: `Company ${company} deal ${deal}`,
            accountId,
            contactRoles: [{ contactId: contactIds[deal - 1], role: 'CHAMPION' }],
            pipeline,
            stageId: 'discovery',
            amount: { amountMinor: 100_000 * company + 1_000 * deal, currency: 'EUR' },
            expectedCloseDate: '2024-12-31',
            ownerId: `rep-${(company % 3) + 1}`,
            openedAt: at(opened),
          },
        },
        at(opened),
      );
      const moves = ['qualification', 'proposal', 'negotiation'].slice(0, 1 + ((company + deal) % 3));
      for (const [index, stageId] of moves.entries()) {
        const changedAt = at(opened + 48 * (index + 1));
        await opportunity({ type: 'ChangeStage', data: { opportunityId, pipeline, stageId, changedAt } }, changedAt);
      }
      if ((company + deal) % 2 === 0) {
        // A correction recorded late, backdated to the opening: the deal was quoted 5% more.
        const corrected = { amountMinor: 105_000 * company + 1_050 * deal, currency: 'EUR' };
        await opportunity({ type: 'ChangeAmount', data: { opportunityId, amount: corrected, changedAt: at(opened) } }, at(opened));
      }
      const closedAt = at(opened + 48 * (moves.length + 1));
      const outcome = (company * 2 + deal) % 4;
      if (outcome === 0) {
        const wonAmount = { amountMinor: 90_000 * company, currency: 'EUR' };
        await opportunity({ type: 'CloseWon', data: { opportunityId, wonAmount, closedAt } }, closedAt);
      } else if (outcome === 1) {
        const reason = (['PRICE', 'COMPETITOR', 'NO_BUDGET', 'BAD_TIMING'] as const)[company % 4];
        await opportunity({ type: 'CloseLost', data: { opportunityId, reason, closedAt } }, closedAt);
      }
    }
  }
}
