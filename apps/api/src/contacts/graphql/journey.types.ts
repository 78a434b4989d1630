import { Field, ID, ObjectType } from '@nestjs/graphql';
import type { Channel, TouchpointKind } from '@revops/domain';
import { ChannelEnum } from '../../campaigns/graphql/campaign.types';
import { TouchpointKindEnum } from '../../touchpoints/graphql/touchpoint.types';

@ObjectType({ description: "One touch on a contact's journey" })
export class JourneyTouchpoint {
  @Field(() => ID)
  id!: string;

  @Field(() => TouchpointKindEnum)
  kind!: TouchpointKind;

  @Field(() => ChannelEnum)
  channel!: Channel;

  @Field({ description: 'The system that observed it' })
  source!: string;

  @Field({ description: 'Business time, ISO-8601 UTC' })
  occurredAt!: string;

  @Field(() => String, { nullable: true })
  utmSource!: string | null;

  @Field(() => String, { nullable: true })
  utmMedium!: string | null;

  @Field(() => String, { nullable: true })
  utmCampaign!: string | null;

  @Field(() => String, { nullable: true })
  utmContent!: string | null;

  @Field(() => String, { nullable: true })
  utmTerm!: string | null;

  @Field(() => String, { nullable: true })
  referrer!: string | null;

  @Field(() => ID, { nullable: true })
  campaignId!: string | null;

  @Field({ description: 'False for touches the person did not act on (an email sent, an ad shown)' })
  interaction!: boolean;

  @Field({ description: 'Recorded under an anonymous id before the person was identified, and stitched in by an identity link' })
  anonymous!: boolean;

  @Field(() => String, { nullable: true, description: 'The anonymous id it was recorded under, if any' })
  anonymousId!: string | null;
}
