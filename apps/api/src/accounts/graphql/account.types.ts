import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, ValidateNested } from 'class-validator';
import { employeeBands, type EmployeeBand } from '@revops/domain';
import { CommandInput, MoneyInput } from '../../common/graphql/command-input.types';
import { WriteReceipt } from '../../common/graphql/write-receipt.types';
import { IsContactId, IsCountryCode, IsEntityId, IsOptionalText, IsText, IsWebDomain } from '../../common/validation/domain-rules';

@InputType({ description: 'What segments an account; unknown parts are left out' })
export class FirmographicsInput {
  @Field(() => String, { nullable: true, description: 'At most 100 characters' })
  @IsOptionalText(100)
  industry?: string | null;

  @Field(() => String, { nullable: true, description: `Head-count band: ${employeeBands.join(', ')}` })
  @IsOptional()
  @IsIn(employeeBands)
  employeeBand?: EmployeeBand | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2, e.g. DE' })
  @IsOptional()
  @IsCountryCode()
  country?: string | null;

  @Field(() => MoneyInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => MoneyInput)
  annualRevenue?: MoneyInput | null;
}

@InputType()
export class CreateAccountInput extends CommandInput {
  @Field(() => ID, {
    nullable: true,
    description: 'Id of the new account; when left out it is derived from the domain, the id leads captured by email use',
  })
  @IsOptional()
  @IsEntityId()
  accountId?: string | null;

  @Field({ description: 'Company name, at most 200 characters' })
  @IsText(200)
  name!: string;

  @Field({ description: 'Web domain without scheme or path, e.g. acme.com; free-mail domains are refused' })
  @IsWebDomain()
  domain!: string;

  @Field(() => FirmographicsInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => FirmographicsInput)
  firmographics?: FirmographicsInput | null;
}

@InputType()
export class AssociateContactWithAccountInput extends CommandInput {
  @Field(() => ID)
  @IsEntityId()
  accountId!: string;

  @Field(() => ID, { description: 'An existing contact' })
  @IsContactId()
  contactId!: string;
}

@ObjectType({ description: 'What an account mutation wrote' })
export class AccountReceipt extends WriteReceipt {
  @Field(() => ID)
  accountId!: string;
}
