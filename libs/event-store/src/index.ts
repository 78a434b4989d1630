export {
  comparePositions,
  isSystemEventType,
  metadataFrom,
  type Actor,
  type ActorType,
  type CommandContext,
  type EventMetadata,
  type EventSource,
  type ExpectedRevision,
  type NewEvent,
  type NewEventMetadata,
  type Position,
  type RecordedEnvelope,
} from './envelope';
export {
  ConcurrencyConflictError,
  EventSchemaError,
  EventStoreError,
  EventStoreFailureError,
  EventStoreUnavailableError,
  InvalidEventError,
  StreamDeletedError,
  StreamNotFoundError,
  type ActualRevision,
  type EventSchemaProblem,
} from './errors';
export {
  EventStore,
  type AppendOptions,
  type AppendResult,
  type Direction,
  type EventStoreOptions,
  type ReadAllOptions,
  type ReadStreamOptions,
} from './event-store';
export { EVENT_STORE_OPTIONS, EventStoreModule } from './event-store.module';
export {
  DEFAULT_MAX_RETRIES,
  type Decider,
  type DomainEvent,
  type HandledEvent,
  type HandleOptions,
  type HandleResult,
} from './handle';
export {
  computeEventHash,
  verifyChain,
  type ChainBreak,
  type ChainedEvent,
  type ChainVerification,
  type HashableEvent,
} from './hash-chain';
export type { BackoffPolicy } from './backoff';
export {
  DEFAULT_SHARED_CATCH_UP,
  SharedCatchUp,
  type AllFeed,
  type FeedSubscription,
  type SharedCatchUpSettings,
  type SubscriptionSource,
} from './shared-catch-up';
export type { SubscriptionFilter } from './subscription-filter';
export type {
  AllSubscription,
  ReconnectInfo,
  SubscribeToAllOptions,
  SubscriptionState,
} from './subscription';
export { UpcasterRegistry, type EventSchema, type UpcastContext, type Upcaster } from './upcasters';
