import { accountEventSchemaVersions, type AccountEvent } from './account/events';
import { campaignEventSchemaVersions, type CampaignEvent } from './campaign/events';
import { contactEventSchemaVersions, type ContactEvent } from './contact/events';
import { journeyEventSchemaVersions, type JourneyEvent } from './journey/events';
import { opportunityEventSchemaVersions, type OpportunityEvent } from './opportunity/events';
import { pipelineEventSchemaVersions, type PipelineEvent } from './pipeline/events';
import type { StreamCategory } from './stream-names';

export type DomainEvent = ContactEvent | JourneyEvent | AccountEvent | OpportunityEvent | CampaignEvent | PipelineEvent;
export type DomainEventType = DomainEvent['type'];

export type EventCatalogEntry = {
  readonly type: DomainEventType;
  readonly streamCategory: StreamCategory;
  /** The shape events of this type have today; the upcaster chain brings older stored versions up to it. */
  readonly schemaVersion: number;
};

const versionsByCategory: { [Category in StreamCategory]: Record<string, number> } = {
  contact: contactEventSchemaVersions,
  journey: journeyEventSchemaVersions,
  account: accountEventSchemaVersions,
  opportunity: opportunityEventSchemaVersions,
  campaign: campaignEventSchemaVersions,
  pipeline: pipelineEventSchemaVersions,
};

/** Every event type the domain emits, with its stream category and current schema version. */
export const eventCatalog: readonly EventCatalogEntry[] = Object.entries(versionsByCategory).flatMap(([streamCategory, versions]) =>
  Object.entries(versions).map(([type, schemaVersion]) => ({
    type: type as DomainEventType,
    streamCategory: streamCategory as StreamCategory,
    schemaVersion,
  })),
);

export const currentSchemaVersions = {
  ...contactEventSchemaVersions,
  ...journeyEventSchemaVersions,
  ...accountEventSchemaVersions,
  ...opportunityEventSchemaVersions,
  ...campaignEventSchemaVersions,
  ...pipelineEventSchemaVersions,
} as const satisfies Record<DomainEventType, number>;
