import { Args, Resolver, Subscription } from '@nestjs/graphql';
import { OpportunityChange, PipelineChange, PipelineChangesArgs } from './graphql/live.types';
import { LiveUpdates, OPPORTUNITY_CHANGED, PIPELINE_CHANGED } from './live-updates';

type Payload<Key extends string, Value> = Record<Key, Value>;

@Resolver()
export class LiveResolver {
  constructor(private readonly live: LiveUpdates) {}

  @Subscription(() => OpportunityChange, {
    description: 'Each deal of the pipeline as it is right after a projected batch changed it (one message per deal and batch)',
    filter: (payload: Payload<typeof OPPORTUNITY_CHANGED, OpportunityChange>, variables: PipelineChangesArgs) =>
      payload[OPPORTUNITY_CHANGED].pipelineId === variables.pipelineId,
  })
  opportunityChanged(@Args() _args: PipelineChangesArgs) {
    return this.live.subscribe(OPPORTUNITY_CHANGED);
  }

  @Subscription(() => PipelineChange, {
    description: 'Once per projected batch that changed the pipeline or deals in it',
    filter: (payload: Payload<typeof PIPELINE_CHANGED, PipelineChange>, variables: PipelineChangesArgs) =>
      payload[PIPELINE_CHANGED].pipelineId === variables.pipelineId,
  })
  pipelineChanged(@Args() _args: PipelineChangesArgs) {
    return this.live.subscribe(PIPELINE_CHANGED);
  }
}
