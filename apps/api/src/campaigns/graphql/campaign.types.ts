import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, ValidateNested } from 'class-validator';
import { channels, type Channel } from '@revops/domain';
import { CommandInput, MoneyInput } from '../../common/graphql/command-input.types';
import { graphqlEnum } from '../../common/graphql/graphql-enum';
import { WriteReceipt } from '../../common/graphql/write-receipt.types';
import { IsCalendarDate, IsEntityId, IsOptionalText, IsSourceSystem, IsText } from '../../common/validation/domain-rules';

export const ChannelEnum = graphqlEnum('Channel', channels, 'The marketing or sales channel touches, campaigns and reports are grouped by');

/** The tagging a campaign's links carry; values are compared lower-cased and trimmed, like touchpoints'. */
const UTM_LIMIT = 250;

@InputType({ description: 'UTM tagging of the campaign links; each part at most 250 characters' })
export class UtmInput {
  @Field(() => String, { nullable: true })
  @IsOptionalText(UTM_LIMIT)
  source?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptionalText(UTM_LIMIT)
  medium?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptionalText(UTM_LIMIT)
  campaign?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptionalText(UTM_LIMIT)
  content?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptionalText(UTM_LIMIT)
  term?: string | null;
}

@InputType()
export class CreateCampaignInput extends CommandInput {
  @Field(() => ID, { nullable: true, description: 'Id of the new campaign; a UUID is generated when left out' })
  @IsOptional()
  @IsEntityId()
  campaignId?: string | null;

  @Field({ description: 'At most 200 characters' })
  @IsText(200)
  name!: string;

  @Field(() => ChannelEnum)
  @IsIn(channels)
  channel!: Channel;

  @Field(() => UtmInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => UtmInput)
  utm?: UtmInput | null;

  @Field(() => MoneyInput, { description: 'Planned spend; recorded spend must be in its currency' })
  @ValidateNested()
  @Type(() => MoneyInput)
  budget!: MoneyInput;

  @Field({ description: 'First day, YYYY-MM-DD' })
  @IsCalendarDate()
  startDate!: string;

  @Field(() => String, { nullable: true, description: 'Last day, YYYY-MM-DD; left out for an always-on campaign' })
  @IsOptional()
  @IsCalendarDate()
  endDate?: string | null;
}

@InputType()
export class RecordCampaignSpendInput extends CommandInput {
  @Field(() => ID)
  @IsEntityId()
  campaignId!: string;

  @Field({ description: 'The day the money was spent, YYYY-MM-DD' })
  @IsCalendarDate()
  day!: string;

  @Field({ description: 'Where the figure comes from, a lower-case slug such as google_ads' })
  @IsSourceSystem()
  source!: string;

  @Field(() => MoneyInput, {
    description: "The day's total from this source, in the budget's currency; sending a new figure corrects the earlier one",
  })
  @ValidateNested()
  @Type(() => MoneyInput)
  amount!: MoneyInput;
}

@ObjectType({ description: 'What a campaign mutation wrote' })
export class CampaignReceipt extends WriteReceipt {
  @Field(() => ID)
  campaignId!: string;
}
