import { ArgsType, Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import type { BuyingRole, ContactRole, LossReason } from '@revops/domain';
import { Money } from '../../accounts/graphql/money.types';
import { graphqlEnum } from '../../common/graphql/graphql-enum';
import { SafeIntScalar } from '../../graphql/safe-int.scalar';
import { ReadArgs } from '../../common/read-side/position.input';
import { IsCalendarDate, IsCurrencyCode, IsEntityId, IsUtcTimestamp } from '../../common/validation/domain-rules';
import { Contact } from '../../contacts/graphql/contact.types';
import {
  opportunityOrderFields,
  sortDirections,
  type OpportunityOrderField,
  type SortDirection,
} from '../queries/opportunity-cursor';
import type { OpportunityStatus } from '../queries/opportunity-page-sql';
import { BuyingRoleEnum, LossReasonEnum } from './opportunity.types';

const opportunityStatuses = ['open', 'won', 'lost'] as const satisfies readonly OpportunityStatus[];
export type StageEntry = 'opened' | 'stage_change' | 'reopened';
export type StageExit = 'stage_change' | 'won' | 'lost';

export const OpportunityStatusEnum = graphqlEnum('OpportunityStatus', opportunityStatuses, 'OPEN, or closed WON or LOST');
export const StageEntryEnum = graphqlEnum('StageEntry', ['opened', 'stage_change', 'reopened'], 'How a deal came into a stage');
export const StageExitEnum = graphqlEnum('StageExit', ['stage_change', 'won', 'lost'], 'How a deal left a stage');
export const OpportunityOrderFieldEnum = graphqlEnum('OpportunityOrderField', opportunityOrderFields, 'What opportunities are sorted by');
export const SortDirectionEnum = graphqlEnum('SortDirection', sortDirections, 'ASC (smallest first) or DESC');

export const MAX_PAGE_SIZE = 500;

@ObjectType({ description: 'A deal: opened against an account in a pipeline, moved through stages, closed won or lost' })
export class Opportunity {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => ID, { description: 'The sales rep who owns the deal' })
  ownerId!: string;

  @Field(() => ID)
  pipelineId!: string;

  @Field(() => ID, { description: 'The current stage; a closed deal keeps the stage it closed from' })
  stageId!: string;

  @Field(() => OpportunityStatusEnum)
  status!: OpportunityStatus;

  @Field(() => Money, { description: 'Expected deal value' })
  amount!: Money;

  @Field({ description: 'Expected close day, YYYY-MM-DD' })
  expectedCloseDate!: string;

  @Field({ description: 'Business time, ISO-8601 UTC' })
  openedAt!: string;

  @Field(() => String, { nullable: true, description: 'Business time of the close; null while open' })
  closedAt!: string | null;

  @Field(() => Money, { nullable: true, description: 'The amount signed, when won' })
  wonAmount!: Money | null;

  @Field(() => LossReasonEnum, { nullable: true })
  lossReason!: LossReason | null;

  @Field(() => String, { nullable: true })
  lossNote!: string | null;

  @Field(() => ID, { description: 'The buying company' })
  accountId!: string;

  /** Read by the `contacts` field, which loads the people behind them. */
  contactRoles!: readonly ContactRole[];
}

@ObjectType({ description: 'A person on a deal and the part they play' })
export class OpportunityContact {
  @Field(() => ID)
  contactId!: string;

  @Field(() => BuyingRoleEnum)
  role!: BuyingRole;

  @Field(() => Contact, { nullable: true, description: 'Null when the contact is not in the read model (yet)' })
  contact!: Contact | null;
}

@ObjectType({ description: 'One stay of a deal in a stage, in business time' })
export class StageStay {
  @Field(() => ID)
  stageId!: string;

  @Field(() => ID)
  pipelineId!: string;

  @Field(() => StageEntryEnum)
  entry!: StageEntry;

  @Field()
  enteredAt!: string;

  @Field(() => String, { nullable: true, description: 'Null while the deal is still in the stage' })
  exitedAt!: string | null;

  @Field(() => StageExitEnum, { nullable: true })
  exit!: StageExit | null;

  @Field(() => Float, { nullable: true, description: 'Seconds from entry to exit; null while the deal is still in the stage' })
  durationSeconds!: number | null;
}

@ObjectType()
export class OpportunityEdge {
  @Field({ description: 'Pass as `after` to read on from this row, with the same orderBy' })
  cursor!: string;

  @Field(() => Opportunity)
  node!: Opportunity;
}

@ObjectType({ description: 'Where a page stands in the whole list' })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'The cursor of the last edge; null on an empty page' })
  endCursor!: string | null;
}

@ObjectType({ description: 'A page of opportunities (Relay connection)' })
export class OpportunityConnection {
  @Field(() => [OpportunityEdge])
  edges!: OpportunityEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Opportunities matching the filter, on every page' })
  totalCount!: number;
}

@InputType({ description: 'Calendar days, both ends included; leave an end out for an open range' })
export class DateRangeInput {
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  @IsOptional()
  @IsCalendarDate()
  from?: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  @IsOptional()
  @IsCalendarDate()
  to?: string | null;
}

@InputType({ description: 'Instants in UTC, from included and to excluded; leave an end out for an open range' })
export class TimeRangeInput {
  @Field(() => String, { nullable: true, description: 'ISO-8601 UTC' })
  @IsOptional()
  @IsUtcTimestamp()
  from?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO-8601 UTC' })
  @IsOptional()
  @IsUtcTimestamp()
  to?: string | null;
}

@InputType({ description: 'Amounts in one currency, both ends included' })
export class AmountRangeInput {
  @Field({ description: 'ISO 4217; only deals in this currency match' })
  @IsCurrencyCode()
  currency!: string;

  @Field(() => SafeIntScalar, { nullable: true, description: 'Minor units' })
  @IsOptional()
  @IsInt()
  @Min(0)
  minMinor?: number | null;

  @Field(() => SafeIntScalar, { nullable: true, description: 'Minor units' })
  @IsOptional()
  @IsInt()
  @Min(0)
  maxMinor?: number | null;
}

@InputType({ description: 'Every part given narrows the list' })
export class OpportunityFilterInput {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsEntityId()
  pipelineId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsEntityId()
  stageId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsEntityId()
  ownerId?: string | null;

  @Field(() => [OpportunityStatusEnum], { nullable: true, description: 'Any of these; empty or left out for all' })
  @IsOptional()
  @IsArray()
  @IsIn(opportunityStatuses, { each: true })
  status?: OpportunityStatus[] | null;

  @Field(() => DateRangeInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => DateRangeInput)
  expectedCloseDate?: DateRangeInput | null;

  @Field(() => TimeRangeInput, { nullable: true, description: 'Only closed deals match' })
  @IsOptional()
  @ValidateNested()
  @Type(() => TimeRangeInput)
  closedAt?: TimeRangeInput | null;

  @Field(() => AmountRangeInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => AmountRangeInput)
  amount?: AmountRangeInput | null;
}

@InputType()
export class OpportunityOrderInput {
  @Field(() => OpportunityOrderFieldEnum)
  @IsIn(opportunityOrderFields)
  field!: OpportunityOrderField;

  @Field(() => SortDirectionEnum, { defaultValue: 'ASC' })
  @IsIn(sortDirections)
  direction!: SortDirection;
}

@ArgsType()
export class OpportunitiesArgs extends ReadArgs {
  @Field(() => OpportunityFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => OpportunityFilterInput)
  filter?: OpportunityFilterInput | null;

  @Field(() => Int, { defaultValue: 50, description: `Page size, 1 to ${MAX_PAGE_SIZE}` })
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first!: number;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page, read with the same orderBy' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  after?: string | null;

  @Field(() => OpportunityOrderInput, { defaultValue: { field: 'OPENED_AT', direction: 'DESC' }, description: 'Newest first by default' })
  @ValidateNested()
  @Type(() => OpportunityOrderInput)
  orderBy!: OpportunityOrderInput;

}
