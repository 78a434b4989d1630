import { ArgsType, Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsOptional, Matches, ValidateNested } from 'class-validator';
import type { Position } from '@revops/event-store';

const UNSIGNED_64 = /^(0|[1-9][0-9]{0,19})$/;

@InputType({
  description:
    'A position in the event log as a mutation returned it; a query given one waits until its read models have passed it',
})
export class PositionInput {
  @Field({ description: 'Commit position, a decimal string' })
  @Matches(UNSIGNED_64, { message: 'commit must be a decimal string of an unsigned 64-bit integer' })
  commit!: string;

  @Field({ description: 'Prepare position, a decimal string' })
  @Matches(UNSIGNED_64, { message: 'prepare must be a decimal string of an unsigned 64-bit integer' })
  prepare!: string;
}

/** The read-your-writes argument every query over the read models takes. */
@ArgsType()
export abstract class ReadArgs {
  @Field(() => PositionInput, { nullable: true, description: 'A position a mutation returned: answer only once the read models have passed it' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PositionInput)
  minPosition?: PositionInput | null;
}

export function positionOf(input: PositionInput | null | undefined): Position | undefined {
  return input ? { commit: BigInt(input.commit), prepare: BigInt(input.prepare) } : undefined;
}
