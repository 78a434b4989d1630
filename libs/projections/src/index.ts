export type { Batch, BatchLimits } from './runner/batch-queue';
export type { CaughtUpOutcome, FailureReport, OpenFailure, Operator, ServingState, VersionKey, VersionRecord } from './runner/bookkeeping';
export { ProjectionBookkeeping } from './runner/bookkeeping';
export {
  ProjectionError,
  ProjectionNotFoundError,
  ProjectionNotReadyError,
  ProjectionNotStalledError,
  ProjectionSkipMismatchError,
  ProjectionTimeoutError,
  type ProjectionErrorCode,
} from './runner/errors';
export { estimateLagEvents, lagSeconds, projectionState, type CheckpointStatus, type LagEstimate, type ProjectionState } from './runner/lag';
export { InProcessLeases, leaseKey, PostgresAdvisoryLeases, type Lease, type LeaseProvider } from './runner/leases';
export {
  NO_MEMORY,
  projectionSchema,
  schemaNameOf,
  servingDefinition,
  stepsAfterFinish,
  validateProjection,
  type PrimaryKeyAfterCatchUp,
  type Projection,
  type ProjectionFilter,
  type ProjectionMemory,
  type ProjectionSchema,
  type ProjectionTransaction,
  type RebuildTransactions,
} from './runner/projection';
export {
  DEFAULT_RUNNER_SETTINGS,
  ProjectionRunner,
  runnerSettings,
  type RunnerDependencies,
  type RunnerSettings,
  type RunnerState,
} from './runner/projection-runner';
export { ProjectionRunners } from './runner/projection-runners';
export { Projections, type ProjectionsDependencies, type ProjectionsOptions } from './runner/projections';
export { insertRows, type InsertColumn } from './runner/insert-rows';
export { ProjectionsAdmin } from './runner/projections-admin';
export { ProjectionsStatus, type ProjectionStatus, type StatusSettings } from './runner/projections-status';
export { PROJECTIONS_OPTIONS, ProjectionsLifecycle, ProjectionsModule } from './runner/projections.module';
export { ReadYourWrites, type ReadYourWritesSettings } from './runner/read-your-writes';
export { typeOrmReadStore, type ReadStoreSql, type Sql, type SqlResult } from './runner/read-store-sql';
export { DEFAULT_RETRY_POLICY, isTransientDatabaseError, type RetryPolicy } from './runner/retry';
export { ServingVersions, type ServingVersion } from './runner/serving-versions';
export { ProjectionSignals, type Committed } from './runner/signals';
export { allProjections } from './all-projections';
export {
  opportunityChanges,
  type AmountHistoryRow,
  type OpportunityChanges,
  type OpportunityRow,
  type OpportunityStatus,
  type StageHistoryRow,
  type Transition,
} from './opportunities/opportunities.projection';
export {
  OPPORTUNITIES_PROJECTION,
  OPPORTUNITY_STATE_COLUMNS,
  openDealPlaces,
  opportunitiesProjection,
  parsedJson,
  type StoredOpportunityState,
} from './opportunities/opportunities.writer';
export {
  pipelineChanges,
  type PipelineChanges,
  type PipelineRevisionRow,
  type PipelineRow,
  type PipelineStageRow,
} from './pipelines/pipelines.projection';
export { PIPELINES_PROJECTION, pipelinesProjection } from './pipelines/pipelines.writer';
export {
  contactChanges,
  contactIdsOf,
  type AccountAssociationRow,
  type ContactChanges,
  type ContactRow,
  type IdentityLinkRow,
  type LeadDecisionRow,
  type LifecycleStageRow,
  type MergeRow,
  type SalesVerdict,
} from './contacts/contacts.projection';
export { CONTACT_STATE_COLUMNS, CONTACTS_PROJECTION, contactsProjection, type StoredContactState } from './contacts/contacts.writer';
export { touchpointRows, type TouchpointRow } from './touchpoints/touchpoints.projection';
export { TOUCHPOINTS_PROJECTION, touchpointsProjection } from './touchpoints/touchpoints.writer';
export { campaignChanges, type CampaignChanges, type CampaignRow, type CampaignSpendRow } from './campaigns/campaigns.projection';
export { CAMPAIGNS_PROJECTION, campaignsProjection } from './campaigns/campaigns.writer';
export { accountChanges, type AccountChanges, type AccountRow, type AccountTouchRow } from './accounts/accounts.projection';
export { ACCOUNTS_PROJECTION, accountsProjection } from './accounts/accounts.writer';
export { utcText } from './runner/utc-text';
export {
  attributionInputs,
  type AttributionInputs,
  dealCredits,
  dealJourney,
  decimalShares,
  EVERY_STORED_MODEL,
  storedModelKeys,
  storedModels,
  storedModelSpecs,
  type CreditOptions,
  type CreditRow,
  type DealFacts,
  type DealJourney,
  type StoredModelName,
} from './attribution/attribution.projection';
export { lastTouchAtOrBefore, readDealJourneys, type AttributionSql } from './attribution/attribution-journeys';
export { TOTAL_DIMENSION, creditKey, dimensionColumns, touchKey } from './attribution/attribution-keys';
export { ATTRIBUTION_PROJECTION, attributionProjection, writeAttribution } from './attribution/attribution.writer';
