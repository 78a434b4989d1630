import { Field, ObjectType } from '@nestjs/graphql';
import { SafeIntScalar } from '../../graphql/safe-int.scalar';

@ObjectType({ description: 'An amount of money: whole minor units (cents, pence, yen) and its currency' })
export class Money {
  @Field(() => SafeIntScalar, { description: 'Whole number of minor units, e.g. 125000 for 1,250.00 EUR' })
  amountMinor!: number;

  @Field({ description: 'ISO 4217 code, e.g. EUR' })
  currency!: string;
}

/** Both parts or nothing: a stored amount without its currency means nothing. */
export function moneyOf(amountMinor: string | number | null, currency: string | null): Money | null {
  return amountMinor === null || currency === null ? null : { amountMinor: Number(amountMinor), currency };
}
