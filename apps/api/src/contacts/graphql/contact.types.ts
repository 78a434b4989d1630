import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import type { LeadRejectionReason, LifecycleStage } from '@revops/domain';
import { graphqlEnum } from '../../common/graphql/graphql-enum';
import { LeadRejectionReasonEnum, LifecycleStageEnum } from '../../leads/graphql/lead.types';

export type SalesVerdict = 'accepted' | 'rejected';
export type IdentityLinkSource = 'identify' | 'merge';

export const SalesVerdictEnum = graphqlEnum('SalesVerdict', ['accepted', 'rejected'], "Sales' judgement of a lead handed over");
export const IdentityLinkSourceEnum = graphqlEnum(
  'IdentityLinkSource',
  ['identify', 'merge'],
  'How an anonymous id came to stand for a contact: identified on it, or taken over from a merged contact',
);

@ObjectType({ description: 'A person: lead, prospect or customer' })
export class Contact {
  @Field(() => ID)
  id!: string;

  @Field()
  email!: string;

  @Field(() => String, { nullable: true })
  firstName!: string | null;

  @Field(() => String, { nullable: true })
  lastName!: string | null;

  @Field(() => String, { nullable: true })
  jobTitle!: string | null;

  @Field(() => String, { nullable: true })
  phone!: string | null;

  @Field(() => String, { nullable: true })
  companyName!: string | null;

  @Field(() => LifecycleStageEnum)
  lifecycleStage!: LifecycleStage;

  @Field(() => Int, { nullable: true })
  score!: number | null;

  @Field(() => SalesVerdictEnum, { nullable: true, description: "Sales' verdict on the current hand-off; a move back clears it" })
  salesVerdict!: SalesVerdict | null;

  @Field(() => String, { nullable: true })
  salesVerdictAt!: string | null;

  @Field(() => ID, { nullable: true, description: 'The contact this one was merged into' })
  mergedIntoContactId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The company the person works at now' })
  accountId!: string | null;

  @Field({ description: 'When the lead was captured, business time, ISO-8601 UTC' })
  capturedAt!: string;

  @Field({ description: 'When the contact last changed, business time, ISO-8601 UTC' })
  updatedAt!: string;
}

@ObjectType({ description: 'When a contact was at a lifecycle stage; recycling enters a stage again' })
export class LifecycleStageTimes {
  @Field(() => LifecycleStageEnum)
  stage!: LifecycleStage;

  @Field()
  firstEnteredAt!: string;

  @Field()
  lastEnteredAt!: string;

  @Field(() => Int, { description: 'How often the contact entered the stage' })
  entries!: number;
}

@ObjectType({ description: 'One verdict of sales on a lead, with its reason when rejected' })
export class LeadDecision {
  @Field(() => SalesVerdictEnum)
  decision!: SalesVerdict;

  @Field(() => LeadRejectionReasonEnum, { nullable: true })
  reason!: LeadRejectionReason | null;

  @Field(() => String, { nullable: true, description: 'Feedback to marketing' })
  note!: string | null;

  @Field(() => ID)
  decidedBy!: string;

  @Field()
  decidedAt!: string;

  @Field(() => LifecycleStageEnum, { description: 'The stage the lead was judged at' })
  lifecycleStage!: LifecycleStage;
}

@ObjectType({ description: "An anonymous id (cookie, device) whose touches are the contact's" })
export class IdentityLink {
  @Field(() => ID)
  anonymousId!: string;

  @Field()
  linkedAt!: string;

  @Field(() => IdentityLinkSourceEnum)
  linkedBy!: IdentityLinkSource;
}
