import { Field, InputType } from '@nestjs/graphql';
import { IsInt, IsOptional, Min } from 'class-validator';
import { SafeIntScalar } from '../../graphql/safe-int.scalar';
import { IsCurrencyCode, IsUtcTimestamp } from '../validation/domain-rules';

/** What every mutation input carries besides its own fields. */
@InputType({ isAbstract: true })
export abstract class CommandInput {
  @Field(() => String, {
    nullable: true,
    description:
      'When this happened in the business, ISO-8601 in UTC (e.g. 2024-03-01T09:30:00Z); defaults to now. Reports and as-of queries use it',
  })
  @IsOptional()
  @IsUtcTimestamp()
  occurredAt?: string | null;
}

@InputType({ description: 'An amount of money: whole minor units (cents, pence, yen) and its currency' })
export class MoneyInput {
  @Field(() => SafeIntScalar, { description: 'Non-negative whole number of minor units, e.g. 125000 for 1,250.00 EUR' })
  @IsInt()
  @Min(0)
  amountMinor!: number;

  @Field({ description: 'ISO 4217 code in upper case, e.g. EUR' })
  @IsCurrencyCode()
  currency!: string;
}
