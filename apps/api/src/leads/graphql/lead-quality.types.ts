import { ArgsType, Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { IsIn } from 'class-validator';
import type { LeadRejectionReason } from '@revops/domain';
import { graphqlEnum } from '../../common/graphql/graphql-enum';
import { firstTouchGroupings, type FirstTouchGrouping } from '../queries/first-touch';
import type * as report from '../queries/lead-quality-report';
import { LeadReportArgs } from './funnel.types';
import { LeadRejectionReasonEnum } from './lead.types';

export const LeadQualityGroupByEnum = graphqlEnum(
  'LeadQualityGroupBy',
  ['first_touch_channel', 'first_touch_campaign', 'none'] satisfies FirstTouchGrouping[],
  "The channel or campaign of each lead's first touch (its earliest interaction, stitched anonymous visits included), or NONE",
);

@ArgsType()
export class LeadQualityArgs extends LeadReportArgs {
  @Field(() => LeadQualityGroupByEnum, { defaultValue: 'first_touch_channel' })
  @IsIn(firstTouchGroupings)
  groupBy!: FirstTouchGrouping;
}

@ObjectType({ description: 'How many leads sales rejected for one reason' })
export class LeadRejectReasonCount implements report.RejectReasonCount {
  @Field(() => LeadRejectionReasonEnum)
  reason!: LeadRejectionReason;

  @Field(() => Int)
  leads!: number;

  @Field(() => Int, { description: 'Of those, the rejections sales explained with a note (every OTHER has one)' })
  notes!: number;
}

@ObjectType({ description: "Sales' verdicts on one group's leads, or on all of them" })
export class LeadQualityGroup implements report.LeadQualityGroup {
  @Field({ description: 'The channel or campaign id of the first touch; (none) without one; all for every lead' })
  key!: string;

  @Field(() => String, { nullable: true, description: "The campaign's name, when grouped by campaign and the campaign is known" })
  name!: string | null;

  @Field(() => Int, { description: 'Leads with a verdict in the period: accepted + rejected' })
  decided!: number;

  @Field(() => Int, { description: 'Leads whose latest verdict in the period was an acceptance' })
  accepted!: number;

  @Field(() => Int, { description: 'Leads whose latest verdict in the period was a rejection' })
  rejected!: number;

  @Field(() => Float, { nullable: true, description: 'accepted / decided; null when nothing was decided' })
  acceptRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'rejected / decided; null when nothing was decided' })
  rejectRate!: number | null;

  @Field(() => [LeadRejectReasonCount], { description: 'The reasons of the rejections, commonest first' })
  rejectReasons!: LeadRejectReasonCount[];
}

@ObjectType({
  description:
    "What sales told marketing in [from, to): the leads it accepted or rejected, by the lead's first touch. A lead judged more than once in the period (rejected, then accepted once reworked) counts once, by its latest verdict there",
})
export class LeadQuality implements report.LeadQualityReport {
  @Field()
  from!: string;

  @Field()
  to!: string;

  @Field(() => LeadQualityGroupByEnum)
  groupBy!: FirstTouchGrouping;

  @Field(() => LeadQualityGroup, { description: 'Every lead decided in the period, key all' })
  total!: LeadQualityGroup;

  @Field(() => [LeadQualityGroup], { description: 'One per group, most decided first; ungrouped, the total alone' })
  groups!: LeadQualityGroup[];
}
