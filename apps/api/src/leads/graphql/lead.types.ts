import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import {
  entryStages,
  LEAD_SCORE_MAX,
  leadRejectionReasons,
  lifecycleStages,
  type EntryStage,
  type LeadRejectionReason,
  type LifecycleStage,
} from '@revops/domain';
import { CommandInput } from '../../common/graphql/command-input.types';
import { graphqlEnum } from '../../common/graphql/graphql-enum';
import { StreamWrite, WriteReceipt } from '../../common/graphql/write-receipt.types';
import {
  IsContactId,
  IsEmailAddress,
  IsEntityId,
  IsOptionalText,
  IsSourceSystem,
  IsUuidValue,
} from '../../common/validation/domain-rules';

export const LifecycleStageEnum = graphqlEnum(
  'LifecycleStage',
  lifecycleStages,
  'Where a person stands in the revenue funnel: SUBSCRIBER, LEAD, MQL, SQL, OPPORTUNITY, CUSTOMER',
);
export const LeadRejectionReasonEnum = graphqlEnum(
  'LeadRejectionReason',
  leadRejectionReasons,
  'Why sales turned a lead down; OTHER needs a note',
);

/** Names the contact a mutation acts on. */
@InputType({ isAbstract: true })
abstract class ContactCommandInput extends CommandInput {
  @Field(() => ID)
  @IsContactId()
  contactId!: string;
}

@InputType({ description: 'The touch that turned the person into a lead, recorded as a touchpoint' })
export class ConvertingTouchInput {
  @Field(() => ID, { description: 'The touchpoint id (a UUID)' })
  @IsUuidValue()
  touchpointId!: string;

  @Field({ description: 'The system it came from, a lower-case slug such as hubspot' })
  @IsSourceSystem()
  source!: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsEntityId()
  campaignId?: string | null;
}

@InputType()
export class CaptureLeadInput extends CommandInput {
  @Field(() => ID, { nullable: true, description: 'Id of the new contact; a UUID is generated when left out. Must not start with anon-' })
  @IsOptional()
  @IsContactId()
  contactId?: string | null;

  @Field({ description: "Email address; at a company domain it also files the lead under that company's account" })
  @IsEmailAddress()
  email!: string;

  @Field(() => String, { nullable: true, description: 'At most 100 characters' })
  @IsOptionalText(100)
  firstName?: string | null;

  @Field(() => String, { nullable: true, description: 'At most 100 characters' })
  @IsOptionalText(100)
  lastName?: string | null;

  @Field(() => String, { nullable: true, description: 'At most 200 characters' })
  @IsOptionalText(200)
  jobTitle?: string | null;

  @Field(() => String, { nullable: true, description: 'At most 50 characters' })
  @IsOptionalText(50)
  phone?: string | null;

  @Field(() => String, { nullable: true, description: 'At most 200 characters; names the account when this lead creates it' })
  @IsOptionalText(200)
  companyName?: string | null;

  @Field(() => LifecycleStageEnum, { defaultValue: 'lead', description: 'SUBSCRIBER or LEAD (the default)' })
  @IsIn(entryStages, { message: 'lifecycleStage must be SUBSCRIBER or LEAD for a new contact' })
  lifecycleStage!: EntryStage;

  @Field(() => ConvertingTouchInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConvertingTouchInput)
  convertingTouch?: ConvertingTouchInput | null;
}

@InputType()
export class IdentifyInput extends ContactCommandInput {
  @Field(() => ID, { description: "The tracker's anonymous id (cookie, device) whose touches belong to this contact" })
  @IsEntityId()
  anonymousId!: string;
}

@InputType()
export class ScoreLeadInput extends ContactCommandInput {
  @Field(() => Int, { description: `0 to ${LEAD_SCORE_MAX}` })
  @IsInt()
  @Min(0)
  @Max(LEAD_SCORE_MAX)
  score!: number;
}

@InputType()
export class QualifyLeadInput extends ContactCommandInput {
  @Field(() => LifecycleStageEnum, { description: 'The stage to move to; moving back (recycling) needs a reason' })
  @IsIn(lifecycleStages)
  stage!: LifecycleStage;

  @Field(() => String, { nullable: true, description: 'At most 1000 characters; required when moving back' })
  @IsOptionalText(1000)
  reason?: string | null;
}

@InputType()
export class AcceptLeadInput extends ContactCommandInput {
  @Field(() => ID, { nullable: true, description: 'The sales rep accepting; defaults to the acting user (x-actor-id)' })
  @IsOptional()
  @IsEntityId()
  acceptedBy?: string | null;
}

@InputType()
export class RejectLeadInput extends ContactCommandInput {
  @Field(() => LeadRejectionReasonEnum)
  @IsIn(leadRejectionReasons)
  reason!: LeadRejectionReason;

  @Field(() => String, { nullable: true, description: 'Feedback to marketing, at most 2000 characters; required when the reason is OTHER' })
  @IsOptionalText(2000)
  note?: string | null;

  @Field(() => ID, { nullable: true, description: 'The sales rep rejecting; defaults to the acting user (x-actor-id)' })
  @IsOptional()
  @IsEntityId()
  rejectedBy?: string | null;
}

@ObjectType({ description: 'What a contact mutation wrote' })
export class ContactReceipt extends WriteReceipt {
  @Field(() => ID)
  contactId!: string;
}

@ObjectType({ description: 'What captureLead wrote: the contact, and the account of the company its email is at' })
export class LeadCaptureReceipt extends ContactReceipt {
  @Field(() => ID, { nullable: true, description: 'The company account the lead joined; null for free-mail addresses' })
  accountId!: string | null;

  @Field(() => StreamWrite, {
    nullable: true,
    description: "The write to the account stream, which comes after the contact's: wait for its position to read both",
  })
  account!: StreamWrite | null;
}
