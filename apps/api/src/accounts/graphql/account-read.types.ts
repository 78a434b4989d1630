import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Money } from './money.types';

@ObjectType({ description: 'A company: the buyer of deals and the employer of contacts' })
export class Account {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'Lower-case web domain, e.g. acme.com' })
  domain!: string;

  @Field(() => String, { nullable: true })
  industry!: string | null;

  @Field(() => String, { nullable: true, description: 'Head-count band, e.g. 201-500' })
  employeeBand!: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2' })
  country!: string | null;

  @Field(() => Money, { nullable: true })
  annualRevenue!: Money | null;

  @Field({ description: 'When the account was created, business time, ISO-8601 UTC' })
  createdAt!: string;
}
