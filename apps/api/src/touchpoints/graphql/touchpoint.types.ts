import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { touchpointKinds, type TouchpointKind } from '@revops/domain';
import { CommitPosition } from '../../common/graphql/write-receipt.types';

// Input types say what GraphQL can check before the mutation runs (names and scalar
// types); values (formats, lengths, which details a kind takes) are checked per item by
// the same validation as HTTP ingestion, so a bad item is refused alone.

export const TouchpointKindEnum = Object.fromEntries(touchpointKinds.map((kind) => [kind, kind])) as { [Kind in TouchpointKind]: Kind };

registerEnumType(TouchpointKindEnum, { name: 'TouchpointKind', description: 'What the person did, or what was done to them' });

@InputType({ description: 'UTM tagging of the landing URL, as it arrived' })
export class TouchpointUtmInput {
  @Field(() => String, { nullable: true }) source?: string | null;
  @Field(() => String, { nullable: true }) medium?: string | null;
  @Field(() => String, { nullable: true }) campaign?: string | null;
  @Field(() => String, { nullable: true }) content?: string | null;
  @Field(() => String, { nullable: true }) term?: string | null;
}

@InputType({ description: 'A demo attendee: contactId or email, at least one' })
export class TouchpointDemoAttendeeInput {
  @Field(() => String, { nullable: true }) contactId?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) name?: string | null;
}

@InputType({ description: 'An amount in the minor unit of an ISO 4217 currency (cents for EUR)' })
export class TouchpointAmountInput {
  // Float, not Int: GraphQL's Int stops at 2^31, about 21 million euros in cents.
  @Field(() => Float, { description: 'A whole number of minor units' }) amountMinor!: number;
  @Field(() => String) currency!: string;
}

@InputType({
  description:
    "Kind-specific facts. Send only the fields of the touchpoint's kind (docs/touchpoint-ingestion.md lists them); a field of another kind refuses the touchpoint.",
})
export class TouchpointDetailsInput {
  @Field(() => String, { nullable: true, description: 'AD_IMPRESSION, AD_CLICK' }) adPlatform?: string | null;
  @Field(() => String, { nullable: true, description: 'AD_IMPRESSION, AD_CLICK' }) platformCampaignId?: string | null;
  @Field(() => String, { nullable: true, description: 'AD_IMPRESSION, AD_CLICK' }) adGroupId?: string | null;
  @Field(() => String, { nullable: true, description: 'AD_IMPRESSION, AD_CLICK' }) adId?: string | null;
  @Field(() => String, { nullable: true, description: 'AD_IMPRESSION' }) placement?: string | null;
  @Field(() => String, { nullable: true, description: 'AD_CLICK' }) clickId?: string | null;
  @Field(() => String, { nullable: true, description: 'AD_CLICK' }) keyword?: string | null;
  @Field(() => String, { nullable: true, description: 'EMAIL_SENT, EMAIL_OPEN, EMAIL_CLICK' }) messageId?: string | null;
  @Field(() => String, { nullable: true, description: 'EMAIL_SENT' }) emailName?: string | null;
  @Field(() => String, { nullable: true, description: 'EMAIL_CLICK' }) url?: string | null;
  @Field(() => String, { nullable: true, description: 'WEB_VISIT, FORM_SUBMISSION' }) pageUrl?: string | null;
  @Field(() => String, { nullable: true, description: 'WEB_VISIT' }) pageTitle?: string | null;
  @Field(() => String, { nullable: true, description: 'WEB_VISIT' }) sessionId?: string | null;
  @Field(() => String, { nullable: true, description: 'FORM_SUBMISSION' }) formId?: string | null;
  @Field(() => String, { nullable: true, description: 'FORM_SUBMISSION' }) formName?: string | null;
  @Field(() => String, { nullable: true, description: 'CONTENT_DOWNLOAD' }) assetId?: string | null;
  @Field(() => String, { nullable: true, description: 'CONTENT_DOWNLOAD' }) assetTitle?: string | null;
  @Field(() => String, { nullable: true, description: 'CONTENT_DOWNLOAD' }) assetType?: string | null;
  @Field(() => String, { nullable: true, description: 'WEBINAR' }) webinarId?: string | null;
  @Field(() => String, { nullable: true, description: 'WEBINAR' }) participation?: string | null;
  @Field(() => Int, { nullable: true, description: 'WEBINAR' }) minutesAttended?: number | null;
  @Field(() => String, { nullable: true, description: 'EVENT_ATTENDED' }) eventId?: string | null;
  @Field(() => String, { nullable: true, description: 'EVENT_ATTENDED' }) eventName?: string | null;
  @Field(() => String, { nullable: true, description: 'EVENT_ATTENDED' }) format?: string | null;
  @Field(() => String, { nullable: true, description: 'SOCIAL_ENGAGEMENT' }) network?: string | null;
  @Field(() => String, { nullable: true, description: 'SOCIAL_ENGAGEMENT' }) action?: string | null;
  @Field(() => String, { nullable: true, description: 'SOCIAL_ENGAGEMENT' }) postId?: string | null;
  @Field(() => String, { nullable: true, description: 'CHAT' }) conversationId?: string | null;
  @Field(() => String, { nullable: true, description: 'CHAT' }) handledBy?: string | null;
  @Field(() => Int, { nullable: true, description: 'CALL' }) durationSeconds?: number | null;
  @Field(() => String, { nullable: true, description: 'CALL' }) outcome?: string | null;
  @Field(() => String, { nullable: true, description: 'CALL' }) direction?: string | null;
  @Field(() => String, { nullable: true, description: 'CALL' }) repId?: string | null;
  @Field(() => String, { nullable: true, description: 'MEETING' }) meetingType?: string | null;
  @Field(() => Int, { nullable: true, description: 'MEETING' }) durationMinutes?: number | null;
  @Field(() => String, { nullable: true, description: 'MEETING' }) hostId?: string | null;
  @Field(() => [TouchpointDemoAttendeeInput], { nullable: true, description: 'DEMO' }) attendees?: TouchpointDemoAttendeeInput[] | null;
  @Field(() => String, { nullable: true, description: 'DEMO' }) presenterId?: string | null;
  @Field(() => String, { nullable: true, description: 'PROPOSAL' }) proposalId?: string | null;
  @Field(() => TouchpointAmountInput, { nullable: true, description: 'PROPOSAL' }) amount?: TouchpointAmountInput | null;
  @Field(() => String, { nullable: true, description: 'PROPOSAL' }) opportunityId?: string | null;
}

@InputType({ description: 'One touchpoint, as POST /v1/touchpoints takes it' })
export class TouchpointInput {
  @Field(() => ID, { nullable: true, description: 'A UUID; without it, source + externalId derive one' }) touchpointId?: string | null;
  @Field(() => String, { nullable: true, description: 'The observing system (slug); required without touchpointId' }) source?: string | null;
  @Field(() => String, { nullable: true, description: "The source's own id of the touch; required without touchpointId" })
  externalId?: string | null;
  @Field(() => TouchpointKindEnum) kind!: TouchpointKind;
  @Field(() => String, { description: 'ISO-8601 UTC, e.g. 2024-03-01T09:15:00Z' }) occurredAt!: string;
  @Field(() => String, { nullable: true }) anonymousId?: string | null;
  @Field(() => String, { nullable: true }) contactId?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) accountId?: string | null;
  @Field(() => String, { nullable: true }) campaignId?: string | null;
  @Field(() => TouchpointUtmInput, { nullable: true }) utm?: TouchpointUtmInput | null;
  @Field(() => String, { nullable: true }) referrer?: string | null;
  @Field(() => String, { nullable: true }) landingPage?: string | null;
  @Field(() => TouchpointDetailsInput) details!: TouchpointDetailsInput;
}

@ObjectType({ description: 'Why a touchpoint was refused' })
export class TouchpointFieldError {
  @Field(() => String, { nullable: true, description: 'Path of the offending field; null when the whole touchpoint is concerned' })
  field!: string | null;
  @Field(() => String, { description: 'Stable code, e.g. INVALID_TIMESTAMP, UNKNOWN_FIELD, STORE_UNAVAILABLE' }) code!: string;
  @Field(() => String) message!: string;
}

@ObjectType()
export class RejectedTouchpoint {
  @Field(() => Int, { description: 'Position in the list sent' }) index!: number;
  @Field(() => [TouchpointFieldError]) errors!: TouchpointFieldError[];
}

@ObjectType()
export class RecordTouchpointsResult {
  @Field(() => [ID], { description: 'Ids of the touchpoints stored (or stored before), in order, each once' }) accepted!: string[];
  @Field(() => [RejectedTouchpoint]) rejected!: RejectedTouchpoint[];
  @Field(() => CommitPosition, {
    nullable: true,
    description: 'The highest log position among the accepted touchpoints, to wait on read models with; null when none was accepted',
  })
  position!: CommitPosition | null;
}
