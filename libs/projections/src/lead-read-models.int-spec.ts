import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import {
  accountDecider,
  accountStreamName,
  anonymousIdForEmail,
  campaignDecider,
  campaignStreamName,
  contactDecider,
  contactStreamName,
  recordTouchpoint,
  type AccountCommand,
  type CampaignCommand,
  type ContactCommand,
  type RecordTouchpoint,
} from '@revops/domain';
import { EventStore, metadataFrom, type CommandContext, type Position } from '@revops/event-store';
import { openReadStore } from '@revops/read-models';
import type { DataSource } from 'typeorm';
import { useEventStore, type EventStoreHandle } from '../../../test/support/event-store';
import { usePostgres, type PostgresHandle } from '../../../test/support/postgres';
import { campaignsProjection } from './campaigns/campaigns.writer';
import { contactsProjection } from './contacts/contacts.writer';
import { schemaNameOf } from './runner/projection';
import { Projections } from './runner/projections';
import { typeOrmReadStore } from './runner/read-store-sql';
import { FAST_RUNNER } from './runner/testing/fixtures';
import { touchpointsProjection } from './touchpoints/touchpoints.writer';

/** The schemas of the versions served, whatever their numbers. */
const CONTACTS_SCHEMA = schemaNameOf(contactsProjection.name, contactsProjection.version);
const TOUCHPOINTS_SCHEMA = schemaNameOf(touchpointsProjection.name, touchpointsProjection.version);
const CAMPAIGNS_SCHEMA = schemaNameOf(campaignsProjection.name, campaignsProjection.version);

jest.setTimeout(60_000);

/** 09:00 UTC on a day of 2024 (`03-10`), the business time of a step. */
const on = (day: string) => `2024-${day}T09:00:00.000Z`;

describe('Lead read models against the event-store dev server and PostgreSQL', () => {
  let eventStore: EventStoreHandle;
  let postgres: PostgresHandle;
  let dataSource: DataSource;
  let store: EventStore;
  let projections: Projections;

  const context = (occurredAt: string): CommandContext => ({
    correlationId: randomUUID(),
    causationId: randomUUID(),
    actor: { type: 'user', id: 'rep-1' },
    source: 'api',
    occurredAt,
  });

  async function contactCommand(command: ContactCommand, occurredAt: string): Promise<Position> {
    const result = await store.handle(contactStreamName(command.data.contactId), contactDecider, command, context(occurredAt));
    return result.position as Position;
  }

  async function accountCommand(command: AccountCommand, occurredAt: string): Promise<Position> {
    const result = await store.handle(accountStreamName(command.data.accountId), accountDecider, command, context(occurredAt));
    return result.position as Position;
  }

  async function campaignCommand(command: CampaignCommand, occurredAt: string): Promise<Position> {
    const result = await store.handle(campaignStreamName(command.data.campaignId), campaignDecider, command, context(occurredAt));
    return result.position as Position;
  }

  /** As ingestion does it: no state loaded, the touchpoint id as the event id. */
  async function touch(data: RecordTouchpoint['data']): Promise<Position> {
    const { streamName, event } = recordTouchpoint({ type: 'RecordTouchpoint', data });
    const { position } = await store.append(
      streamName,
      [{ ...event, eventId: event.data.touchpointId, metadata: { ...metadataFrom(context(event.data.occurredAt)), source: 'tracker' } }],
      { expectedRevision: 'any' },
    );
    return position;
  }

  async function rows<Row>(sql: string, parameters: unknown[] = []): Promise<Row[]> {
    return (await dataSource.query(sql, parameters)) as Row[];
  }

  beforeAll(async () => {
    Logger.overrideLogger(false);
    [eventStore, postgres] = await Promise.all([useEventStore(), usePostgres()]);
    dataSource = await openReadStore({ url: postgres.url, embedded: postgres.embedded });
    store = new EventStore({ connectionString: eventStore.connectionString });
    projections = new Projections(
      { store, sql: typeOrmReadStore(dataSource) },
      {
        projections: [contactsProjection, touchpointsProjection, campaignsProjection],
        readStore: { url: postgres.url, embedded: postgres.embedded },
        runner: FAST_RUNNER,
      },
    );
    projections.start();
  });

  afterAll(async () => {
    await projections?.stop();
    await store?.close();
    await dataSource?.destroy();
    await Promise.all([postgres?.stop(), eventStore?.stop()]);
  });

  it('projects a lead through scoring, a rejection, recycling and an acceptance', async () => {
    const contactId = `c-${randomUUID()}`;
    const accountId = `acct-${randomUUID()}`;
    const steps: Array<[ContactCommand, string]> = [
      [
        {
          type: 'CaptureLead',
          data: {
            contactId,
            details: { email: 'Ada@Acme.example', firstName: 'Ada', lastName: 'Lovelace', companyName: 'Acme' },
            lifecycleStage: 'lead',
            convertingTouch: { touchpointId: randomUUID(), source: 'segment', campaignId: 'spring-webinar' },
            capturedAt: on('03-01'),
          },
        },
        on('03-01'),
      ],
      [{ type: 'LinkIdentity', data: { contactId, anonymousId: 'cookie-ada', linkedAt: on('03-01') } }, on('03-01')],
      [{ type: 'ScoreLead', data: { contactId, score: 62, scoredAt: on('03-02') } }, on('03-02')],
      [{ type: 'ChangeLifecycleStage', data: { contactId, to: 'mql', changedAt: on('03-05') } }, on('03-05')],
      [
        { type: 'RejectLead', data: { contactId, reason: 'NO_BUDGET', note: 'next fiscal year', rejectedBy: 'rep-1', rejectedAt: on('03-06') } },
        on('03-06'),
      ],
      [{ type: 'ChangeLifecycleStage', data: { contactId, to: 'lead', reason: 'rejected by sales', changedAt: on('03-07') } }, on('03-07')],
      [{ type: 'ChangeLifecycleStage', data: { contactId, to: 'mql', changedAt: on('04-01') } }, on('04-01')],
      [{ type: 'AcceptLead', data: { contactId, acceptedBy: 'rep-2', acceptedAt: on('04-02') } }, on('04-02')],
      [{ type: 'ChangeLifecycleStage', data: { contactId, to: 'sql', changedAt: on('04-03') } }, on('04-03')],
    ];
    for (const [command, occurredAt] of steps) await contactCommand(command, occurredAt);
    await accountCommand({ type: 'CreateAccount', data: { accountId, name: 'Acme', domain: 'acme.example', createdAt: on('02-01') } }, on('02-01'));
    const last = await accountCommand({ type: 'AssociateContact', data: { accountId, contactId, associatedAt: on('03-02') } }, on('03-02'));
    await projections.readYourWrites.waitForPosition('contacts', last, 10_000);

    expect(
      await rows(
        `SELECT email, first_name, last_name, company_name, lifecycle_stage, score, sales_verdict, sales_verdict_at,
                converting_source, converting_campaign_id, account_id, merged_into_contact_id, captured_at
           FROM ${CONTACTS_SCHEMA}.contacts WHERE contact_id = $1`,
        [contactId],
      ),
    ).toEqual([
      {
        email: 'ada@acme.example',
        first_name: 'Ada',
        last_name: 'Lovelace',
        company_name: 'Acme',
        lifecycle_stage: 'sql',
        score: 62,
        // Moving forward keeps the verdict of the hand-off; only a move back clears it.
        sales_verdict: 'accepted',
        sales_verdict_at: new Date(on('04-02')),
        converting_source: 'segment',
        converting_campaign_id: 'spring-webinar',
        account_id: accountId,
        merged_into_contact_id: null,
        captured_at: new Date(on('03-01')),
      },
    ]);
    expect(
      await rows(
        `SELECT anonymous_id, linked_at, linked_by FROM ${CONTACTS_SCHEMA}.contact_identity_links WHERE contact_id = $1 ORDER BY anonymous_id`,
        [contactId],
      ),
    ).toEqual(
      [
        { anonymous_id: anonymousIdForEmail('ada@acme.example'), linked_at: new Date(on('03-01')), linked_by: 'identify' },
        { anonymous_id: 'cookie-ada', linked_at: new Date(on('03-01')), linked_by: 'identify' },
      ].sort((a, b) => (a.anonymous_id < b.anonymous_id ? -1 : 1)),
    );
    expect(
      await rows(
        `SELECT stage, first_entered_at, last_entered_at, entries FROM ${CONTACTS_SCHEMA}.contact_lifecycle_stages
          WHERE contact_id = $1 ORDER BY first_entered_at`,
        [contactId],
      ),
    ).toEqual([
      { stage: 'lead', first_entered_at: new Date(on('03-01')), last_entered_at: new Date(on('03-07')), entries: 2 },
      { stage: 'mql', first_entered_at: new Date(on('03-05')), last_entered_at: new Date(on('04-01')), entries: 2 },
      { stage: 'sql', first_entered_at: new Date(on('04-03')), last_entered_at: new Date(on('04-03')), entries: 1 },
    ]);
    expect(
      await rows(
        `SELECT decision, reason, note, decided_by, decided_at, lifecycle_stage FROM ${CONTACTS_SCHEMA}.lead_decisions
          WHERE contact_id = $1 ORDER BY commit_position`,
        [contactId],
      ),
    ).toEqual([
      { decision: 'rejected', reason: 'NO_BUDGET', note: 'next fiscal year', decided_by: 'rep-1', decided_at: new Date(on('03-06')), lifecycle_stage: 'mql' },
      { decision: 'accepted', reason: null, note: null, decided_by: 'rep-2', decided_at: new Date(on('04-02')), lifecycle_stage: 'mql' },
    ]);
  });

  it('points a merged contact at the survivor, which takes over its identity links', async () => {
    const survivorId = `c-${randomUUID()}`;
    const duplicateId = `c-${randomUUID()}`;
    const capture = (contactId: string, email: string): ContactCommand => ({
      type: 'CaptureLead',
      data: { contactId, details: { email }, lifecycleStage: 'lead', capturedAt: on('05-01') },
    });
    await contactCommand(capture(survivorId, `grace-${survivorId}@hopper.example`), on('05-01'));
    await contactCommand(capture(duplicateId, `grace-${duplicateId}@hopper.example`), on('05-01'));
    await contactCommand({ type: 'LinkIdentity', data: { contactId: duplicateId, anonymousId: `cookie-${duplicateId}`, linkedAt: on('05-02') } }, on('05-02'));
    await contactCommand({ type: 'MergeIntoContact', data: { contactId: duplicateId, survivorContactId: survivorId, mergedAt: on('05-10') } }, on('05-10'));
    const merged = await contactCommand({ type: 'MergeContact', data: { contactId: survivorId, mergedContactId: duplicateId, mergedAt: on('05-10') } }, on('05-10'));
    await projections.readYourWrites.waitForPosition('contacts', merged, 10_000);

    expect(
      await rows(`SELECT contact_id, merged_into_contact_id FROM ${CONTACTS_SCHEMA}.contacts WHERE contact_id = ANY($1) ORDER BY contact_id = $2`, [
        [survivorId, duplicateId],
        duplicateId,
      ]),
    ).toEqual([
      { contact_id: survivorId, merged_into_contact_id: null },
      { contact_id: duplicateId, merged_into_contact_id: survivorId },
    ]);
    expect(
      await rows(`SELECT linked_at, linked_by FROM ${CONTACTS_SCHEMA}.contact_identity_links WHERE contact_id = $1 AND anonymous_id = $2`, [
        survivorId,
        `cookie-${duplicateId}`,
      ]),
    ).toEqual([{ linked_at: new Date(on('05-10')), linked_by: 'merge' }]);
  });

  it('projects each recorded touch once, with its position and interaction flag', async () => {
    const contactId = `c-${randomUUID()}`;
    const anonymousId = `cookie-${randomUUID()}`;
    const click = {
      touchpointId: randomUUID(),
      source: 'segment',
      kind: 'AD_CLICK' as const,
      occurredAt: '2024-03-01T09:15:00Z',
      anonymousId,
      accountId: 'acme',
      utm: { source: 'Google', medium: 'cpc', campaign: 'Brand' },
      campaignId: 'brand-search',
      details: { adPlatform: 'google_ads' as const },
    };
    const clicked = await touch(click);
    const sent = await touch({
      source: 'hubspot',
      externalId: `email-${contactId}`,
      kind: 'EMAIL_SENT',
      occurredAt: '2024-03-02T08:00:00Z',
      contactId,
      details: { messageId: 'm-1' },
    });
    // Ingestion retried: the same touch again.
    const retried = await touch(click);
    await projections.readYourWrites.waitForPosition('touchpoints', retried.commit > sent.commit ? retried : sent, 10_000);

    expect(
      await rows(
        `SELECT touchpoint_id, person_key, contact_id, anonymous_id, account_id, kind, channel, utm_source, utm_medium,
                utm_campaign, campaign_id, occurred_at, commit_position::text AS commit_position, interaction
           FROM ${TOUCHPOINTS_SCHEMA}.touchpoints WHERE person_key = ANY($1) ORDER BY occurred_at`,
        [[`anon-${anonymousId}`, contactId]],
      ),
    ).toEqual([
      {
        touchpoint_id: click.touchpointId,
        person_key: `anon-${anonymousId}`,
        contact_id: null,
        anonymous_id: anonymousId,
        account_id: 'acme',
        kind: 'AD_CLICK',
        channel: 'paid_search',
        utm_source: 'google',
        utm_medium: 'cpc',
        utm_campaign: 'brand',
        campaign_id: 'brand-search',
        occurred_at: new Date('2024-03-01T09:15:00.000Z'),
        commit_position: clicked.commit.toString(),
        interaction: true,
      },
      expect.objectContaining({ person_key: contactId, contact_id: contactId, kind: 'EMAIL_SENT', channel: 'email', interaction: false }),
    ]);
  });

  it('projects a campaign and its daily spend with corrections applied', async () => {
    const campaignId = `cmp-${randomUUID()}`;
    const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
    await campaignCommand(
      {
        type: 'CreateCampaign',
        data: {
          campaignId,
          name: 'Spring webinar',
          channel: 'paid_social',
          utm: { source: 'LinkedIn', medium: 'paid_social', campaign: 'Spring Webinar' },
          budget: eur(5_000_000),
          startDate: '2024-03-01',
          endDate: '2024-03-31',
          createdAt: on('02-20'),
        },
      },
      on('02-20'),
    );
    const spend = (day: string, amountMinor: number, recordedAt: string): CampaignCommand => ({
      type: 'RecordCampaignSpend',
      data: { campaignId, day, source: 'linkedin_ads', amount: eur(amountMinor), recordedAt },
    });
    await campaignCommand(spend('2024-03-01', 12_000, on('03-02')), on('03-02'));
    await campaignCommand(spend('2024-03-02', 15_000, on('03-03')), on('03-03'));
    // The platform restated the first day.
    const last = await campaignCommand(spend('2024-03-01', 11_500, on('03-05')), on('03-05'));
    await projections.readYourWrites.waitForPosition('campaigns', last, 10_000);

    expect(
      await rows(
        `SELECT name, channel, utm_source, utm_medium, utm_campaign, budget_minor::int AS budget_minor, currency,
                start_date::text AS start_date, end_date::text AS end_date
           FROM ${CAMPAIGNS_SCHEMA}.campaigns WHERE campaign_id = $1`,
        [campaignId],
      ),
    ).toEqual([
      {
        name: 'Spring webinar',
        channel: 'paid_social',
        utm_source: 'linkedin',
        utm_medium: 'paid_social',
        utm_campaign: 'spring webinar',
        budget_minor: 5_000_000,
        currency: 'EUR',
        start_date: '2024-03-01',
        end_date: '2024-03-31',
      },
    ]);
    expect(
      await rows(
        `SELECT day::text AS day, source, amount_minor::int AS amount_minor, currency, recorded_at, corrected_at, corrections
           FROM ${CAMPAIGNS_SCHEMA}.campaign_daily_spend WHERE campaign_id = $1 ORDER BY day`,
        [campaignId],
      ),
    ).toEqual([
      {
        day: '2024-03-01',
        source: 'linkedin_ads',
        amount_minor: 11_500,
        currency: 'EUR',
        recorded_at: new Date(on('03-02')),
        corrected_at: new Date(on('03-05')),
        corrections: 1,
      },
      { day: '2024-03-02', source: 'linkedin_ads', amount_minor: 15_000, currency: 'EUR', recorded_at: new Date(on('03-03')), corrected_at: null, corrections: 0 },
    ]);
  });
});
