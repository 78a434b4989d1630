import { randomUUID } from 'node:crypto';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCaller, Caller } from '../common/api-caller';
import { positionOf } from '../common/read-side/position.input';
import { DefinePipelineCommand } from './commands/define-pipeline.handler';
import { RevisePipelineStagesCommand } from './commands/revise-pipeline-stages.handler';
import { PipelineArgs, PipelineReport } from './graphql/pipeline-report.types';
import { DefinePipelineInput, PipelineReceipt, RevisePipelineStagesInput } from './graphql/pipeline.types';
import { SalesMetrics, SalesMetricsArgs } from './graphql/sales-metrics.types';
import { PipelineQuery } from './queries/pipeline.query';
import { SalesMetricsQuery } from './queries/sales-metrics.query';

@Resolver()
export class PipelineResolver {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Mutation(() => PipelineReceipt, { description: 'Defines a sales pipeline and its open stages' })
  definePipeline(@Args('input') input: DefinePipelineInput, @Caller() caller: ApiCaller): Promise<PipelineReceipt> {
    const { pipelineId, name, stages } = input;
    return this.commandBus.execute(
      new DefinePipelineCommand({ pipelineId: pipelineId ?? randomUUID(), name, stages }, caller.commandContext(input.occurredAt)),
    );
  }

  @Mutation(() => PipelineReceipt, {
    description: 'Replaces the stages of a pipeline (e.g. a new win probability); as-of reports use the new revision from occurredAt on',
  })
  revisePipelineStages(@Args('input') input: RevisePipelineStagesInput, @Caller() caller: ApiCaller): Promise<PipelineReceipt> {
    const { pipelineId, stages } = input;
    return this.commandBus.execute(new RevisePipelineStagesCommand({ pipelineId, stages }, caller.commandContext(input.occurredAt)));
  }

  @Query(() => PipelineReport, {
    nullable: true,
    description:
      'Open deals per stage (count, amount, weighted amount per currency) at an instant, with the stage probabilities in force then. ' +
      'Null for an unknown pipeline, or one not yet defined at asOf',
  })
  pipeline(@Args() { pipelineId, asOf, ownerId, minPosition }: PipelineArgs): Promise<PipelineReport | null> {
    const instant = asOf ? new Date(asOf).toISOString() : null;
    return this.queryBus.execute(new PipelineQuery(pipelineId, instant, ownerId ?? null, positionOf(minPosition)));
  }

  @Query(() => SalesMetrics, {
    description: 'Win rate, deal size, sales cycle, stage conversion, velocity and weighted pipeline of a period',
  })
  salesMetrics(@Args() { from, to, ownerId, pipelineId, minPosition }: SalesMetricsArgs): Promise<SalesMetrics> {
    const [start, end] = [from, to].map((instant) => new Date(instant).toISOString());
    return this.queryBus.execute(new SalesMetricsQuery({ from: start, to: end, filter: { ownerId, pipelineId }, minPosition: positionOf(minPosition) }));
  }
}
