import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, ValidateNested } from 'class-validator';
import { buyingRoles, lossReasons, type BuyingRole, type LossReason } from '@revops/domain';
import { CommandInput, MoneyInput } from '../../common/graphql/command-input.types';
import { graphqlEnum } from '../../common/graphql/graphql-enum';
import { WriteReceipt } from '../../common/graphql/write-receipt.types';
import { IsCalendarDate, IsContactId, IsEntityId, IsOptionalText, IsText } from '../../common/validation/domain-rules';

export const BuyingRoleEnum = graphqlEnum('BuyingRole', buyingRoles, 'The part a person plays in the buying decision');
export const LossReasonEnum = graphqlEnum('LossReason', lossReasons, 'Why a deal was lost; OTHER needs a note');

/** A buying committee is small; the cap keeps one request from writing an unbounded event. */
const MAX_CONTACT_ROLES = 50;

@InputType({ description: 'A person on the deal and the part they play' })
export class ContactRoleInput {
  @Field(() => ID, { description: 'An existing contact' })
  @IsContactId()
  contactId!: string;

  @Field(() => BuyingRoleEnum)
  @IsIn(buyingRoles)
  role!: BuyingRole;
}

/** Names the opportunity a mutation acts on. */
@InputType({ isAbstract: true })
abstract class OpportunityCommandInput extends CommandInput {
  @Field(() => ID)
  @IsEntityId()
  opportunityId!: string;
}

@InputType()
export class OpenOpportunityInput extends CommandInput {
  @Field(() => ID, { nullable: true, description: 'Id of the new opportunity; a UUID is generated when left out' })
  @IsOptional()
  @IsEntityId()
  opportunityId?: string | null;

  @Field({ description: 'Deal name, at most 200 characters' })
  @IsText(200)
  name!: string;

  @Field(() => ID, { description: 'An existing account: the buying company' })
  @IsEntityId()
  accountId!: string;

  @Field(() => [ContactRoleInput], { defaultValue: [], description: `People on the deal, at most ${MAX_CONTACT_ROLES}` })
  @IsArray()
  @ArrayMaxSize(MAX_CONTACT_ROLES)
  @ValidateNested({ each: true })
  @Type(() => ContactRoleInput)
  contactRoles!: ContactRoleInput[];

  @Field(() => ID, { description: 'The pipeline the deal runs in' })
  @IsEntityId()
  pipelineId!: string;

  @Field(() => ID, { description: "One of the pipeline's current stages" })
  @IsEntityId()
  stageId!: string;

  @Field(() => MoneyInput, { description: 'Expected deal value' })
  @ValidateNested()
  @Type(() => MoneyInput)
  amount!: MoneyInput;

  @Field({ description: 'Expected close day, YYYY-MM-DD' })
  @IsCalendarDate()
  expectedCloseDate!: string;

  @Field(() => ID, { nullable: true, description: 'The sales rep who owns the deal; defaults to the acting user (x-actor-id)' })
  @IsOptional()
  @IsEntityId()
  ownerId?: string | null;
}

@InputType()
export class ChangeOpportunityStageInput extends OpportunityCommandInput {
  @Field(() => ID, { description: "One of the pipeline's current stages" })
  @IsEntityId()
  stageId!: string;
}

@InputType()
export class ChangeOpportunityAmountInput extends OpportunityCommandInput {
  @Field(() => MoneyInput, { description: "The new expected value, in the deal's currency" })
  @ValidateNested()
  @Type(() => MoneyInput)
  amount!: MoneyInput;
}

@InputType()
export class ChangeOpportunityCloseDateInput extends OpportunityCommandInput {
  @Field({ description: 'The new expected close day, YYYY-MM-DD' })
  @IsCalendarDate()
  expectedCloseDate!: string;
}

@InputType()
export class AddOpportunityContactInput extends OpportunityCommandInput {
  @Field(() => ID, { description: 'An existing contact' })
  @IsContactId()
  contactId!: string;

  @Field(() => BuyingRoleEnum)
  @IsIn(buyingRoles)
  role!: BuyingRole;
}

@InputType()
export class CloseOpportunityWonInput extends OpportunityCommandInput {
  @Field(() => MoneyInput, { description: "The amount signed, in the deal's currency" })
  @ValidateNested()
  @Type(() => MoneyInput)
  wonAmount!: MoneyInput;
}

@InputType()
export class CloseOpportunityLostInput extends OpportunityCommandInput {
  @Field(() => LossReasonEnum)
  @IsIn(lossReasons)
  reason!: LossReason;

  @Field(() => String, { nullable: true, description: 'Free text, at most 2000 characters; required when the reason is OTHER' })
  @IsOptionalText(2000)
  note?: string | null;
}

@InputType()
export class ReopenOpportunityInput extends OpportunityCommandInput {
  @Field(() => ID, { description: 'The open stage the deal goes back to' })
  @IsEntityId()
  stageId!: string;

  @Field(() => String, { nullable: true, description: 'Why it was reopened, at most 1000 characters' })
  @IsOptionalText(1000)
  reason?: string | null;
}

@ObjectType({ description: 'What an opportunity mutation wrote' })
export class OpportunityReceipt extends WriteReceipt {
  @Field(() => ID)
  opportunityId!: string;
}
