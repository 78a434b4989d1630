import { ArgsType, Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { IsIn } from 'class-validator';
import { graphqlEnum } from '../../common/graphql/graphql-enum';
import { ReadArgs } from '../../common/read-side/position.input';
import { IsUtcTimestamp } from '../../common/validation/domain-rules';
import { firstTouchGroupings, type FirstTouchGrouping } from '../queries/first-touch';
import type * as report from '../queries/funnel-report';
import { LifecycleStageEnum } from './lead.types';

export const FunnelGroupByEnum = graphqlEnum(
  'FunnelGroupBy',
  firstTouchGroupings,
  "NONE, or the channel or campaign of each lead's first touch (its earliest interaction, stitched anonymous visits included)",
);

/** The period and read-your-writes position every lead report takes. */
@ArgsType()
export abstract class LeadReportArgs extends ReadArgs {
  @Field({ description: 'Start of the period, inclusive: ISO-8601 in UTC, e.g. 2024-03-01T00:00:00Z' })
  @IsUtcTimestamp()
  from!: string;

  @Field({ description: 'End of the period, exclusive: ISO-8601 in UTC, after from' })
  @IsUtcTimestamp()
  to!: string;

}

@ArgsType()
export class FunnelArgs extends LeadReportArgs {
  @Field(() => FunnelGroupByEnum, { defaultValue: 'none' })
  @IsIn(firstTouchGroupings)
  groupBy!: FirstTouchGrouping;
}

@ObjectType({ description: 'How many contacts of the cohort reached a stage' })
export class FunnelStageCount implements report.FunnelStageCount {
  @Field(() => LifecycleStageEnum)
  stage!: report.FunnelStage;

  @Field(() => Int, {
    description: 'Contacts that ever reached this stage or a later one: a lead that skipped MQL on its way to SQL counts as an MQL',
  })
  contacts!: number;
}

@ObjectType({ description: 'One step of the funnel, from a stage to the next' })
export class FunnelStep implements report.FunnelStep {
  @Field(() => LifecycleStageEnum)
  from!: report.FunnelStage;

  @Field(() => LifecycleStageEnum)
  to!: report.FunnelStage;

  @Field(() => Float, { nullable: true, description: 'Contacts that reached `to` / contacts that reached `from`, 0 to 1; null when none reached `from`' })
  conversionRate!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'Median days (fractional) from the first entry into `from` to the first entry into `to`, over the contacts that entered both, in that order; a skipped stage times nothing. Null when no contact did',
  })
  medianDays!: number | null;

  @Field(() => Int, { description: 'The contacts the median is taken over' })
  timedContacts!: number;
}

@ObjectType({ description: 'The funnel of one group of the cohort, or of all of it' })
export class FunnelGroup implements report.FunnelGroup {
  @Field({ description: 'The channel or campaign id of the first touch; (none) without one; all for the whole cohort' })
  key!: string;

  @Field(() => String, { nullable: true, description: "The campaign's name, when grouped by campaign and the campaign is known" })
  name!: string | null;

  @Field(() => [FunnelStageCount], { description: 'LEAD, MQL, SQL, OPPORTUNITY, CUSTOMER, in that order' })
  stages!: FunnelStageCount[];

  @Field(() => [FunnelStep], { description: 'LEAD → MQL, MQL → SQL, SQL → OPPORTUNITY, OPPORTUNITY → CUSTOMER' })
  steps!: FunnelStep[];

  @Field(() => Float, { nullable: true, description: 'Customers / leads; null when the group has no lead' })
  leadToCustomerRate!: number | null;
}

@ObjectType({
  description:
    'The leads that entered the funnel in [from, to) (their first entry into LEAD or any later stage), followed to today through the contact lifecycle stages. OPPORTUNITY and CUSTOMER are lifecycle stages set by qualifyLead. Contacts merged into another are left out',
})
export class Funnel implements report.FunnelReport {
  @Field()
  from!: string;

  @Field()
  to!: string;

  @Field(() => FunnelGroupByEnum)
  groupBy!: FirstTouchGrouping;

  @Field(() => FunnelGroup, { description: 'The whole cohort, key all' })
  total!: FunnelGroup;

  @Field(() => [FunnelGroup], { description: 'One per group, most leads first; ungrouped, the total alone' })
  groups!: FunnelGroup[];
}
