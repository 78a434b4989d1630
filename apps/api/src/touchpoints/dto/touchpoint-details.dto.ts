import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsInt, IsObject, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import {
  adPlatforms,
  callDirections,
  callOutcomes,
  chatHandlers,
  contentAssetTypes,
  eventFormats,
  meetingTypes,
  socialActions,
  socialNetworks,
  webinarParticipations,
  type TouchpointKind,
} from '@revops/domain';
import {
  NAME_LENGTH,
  OptionalChoice,
  OptionalId,
  OptionalInteger,
  OptionalText,
  RequiredChoice,
  RequiredId,
  RequiredInteger,
  RequiredText,
  TEXT_LENGTH,
  TITLE_LENGTH,
  URL_LENGTH,
} from './field-rules';

// One class per touchpoint kind: a field that belongs to another kind is an unknown
// field here, so a CALL carrying a pageUrl is refused instead of silently dropped.

class AdPlacementDetailsDto {
  @RequiredChoice(adPlatforms) adPlatform!: string;
  @OptionalId() platformCampaignId?: string | null;
  @OptionalId() adGroupId?: string | null;
  @OptionalId() adId?: string | null;
}

export class AdImpressionDetailsDto extends AdPlacementDetailsDto {
  @OptionalText(NAME_LENGTH) placement?: string | null;
}

export class AdClickDetailsDto extends AdPlacementDetailsDto {
  @OptionalId() clickId?: string | null;
  @OptionalText(NAME_LENGTH) keyword?: string | null;
}

export class EmailSentDetailsDto {
  @RequiredText(TEXT_LENGTH) messageId!: string;
  @OptionalText(NAME_LENGTH) emailName?: string | null;
}

export class EmailOpenDetailsDto {
  @RequiredText(TEXT_LENGTH) messageId!: string;
}

export class EmailClickDetailsDto {
  @RequiredText(TEXT_LENGTH) messageId!: string;
  @RequiredText(URL_LENGTH) url!: string;
}

export class WebVisitDetailsDto {
  @RequiredText(URL_LENGTH) pageUrl!: string;
  @OptionalText(TITLE_LENGTH) pageTitle?: string | null;
  @OptionalId() sessionId?: string | null;
}

export class FormSubmissionDetailsDto {
  @RequiredId() formId!: string;
  @OptionalText(NAME_LENGTH) formName?: string | null;
  @OptionalText(URL_LENGTH) pageUrl?: string | null;
}

export class ContentDownloadDetailsDto {
  @RequiredId() assetId!: string;
  @OptionalText(TITLE_LENGTH) assetTitle?: string | null;
  @OptionalChoice(contentAssetTypes) assetType?: string | null;
}

export class WebinarDetailsDto {
  @RequiredId() webinarId!: string;
  @RequiredChoice(webinarParticipations) participation!: string;
  @OptionalInteger() minutesAttended?: number | null;
}

export class EventAttendedDetailsDto {
  @RequiredId() eventId!: string;
  @OptionalText(NAME_LENGTH) eventName?: string | null;
  @OptionalChoice(eventFormats) format?: string | null;
}

export class SocialEngagementDetailsDto {
  @RequiredChoice(socialNetworks) network!: string;
  @RequiredChoice(socialActions) action!: string;
  @OptionalId() postId?: string | null;
}

export class ChatDetailsDto {
  @RequiredId() conversationId!: string;
  @RequiredChoice(chatHandlers) handledBy!: string;
}

export class CallDetailsDto {
  @RequiredInteger() durationSeconds!: number;
  @RequiredChoice(callOutcomes) outcome!: string;
  @RequiredChoice(callDirections) direction!: string;
  @OptionalId() repId?: string | null;
}

export class MeetingDetailsDto {
  @RequiredChoice(meetingTypes) meetingType!: string;
  @OptionalInteger() durationMinutes?: number | null;
  @OptionalId() hostId?: string | null;
}

export class DemoAttendeeDto {
  @OptionalId() contactId?: string | null;
  @OptionalText(254) email?: string | null;
  @OptionalText(NAME_LENGTH) name?: string | null;
}

/** The same cap as the domain's, checked here so a huge list is refused before it is walked. */
const MAX_DEMO_ATTENDEES = 100;

export class DemoDetailsDto {
  @IsDefined({ message: '$property is required' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_DEMO_ATTENDEES)
  @ValidateNested({ each: true })
  attendees!: DemoAttendeeDto[];

  @OptionalId() presenterId?: string | null;
}

export class ProposalAmountDto {
  @IsDefined({ message: '$property is required' })
  @IsInt()
  @Min(0)
  amountMinor!: number;

  @IsDefined({ message: '$property is required' })
  @IsString()
  @MaxLength(3)
  currency!: string;
}

export class ProposalDetailsDto {
  @RequiredId() proposalId!: string;

  @IsDefined({ message: '$property is required' })
  @IsObject()
  @ValidateNested()
  amount!: ProposalAmountDto;

  @OptionalId() opportunityId?: string | null;
}

export const detailsDtoByKind: { [Kind in TouchpointKind]: new () => object } = {
  AD_IMPRESSION: AdImpressionDetailsDto,
  AD_CLICK: AdClickDetailsDto,
  EMAIL_SENT: EmailSentDetailsDto,
  EMAIL_OPEN: EmailOpenDetailsDto,
  EMAIL_CLICK: EmailClickDetailsDto,
  WEB_VISIT: WebVisitDetailsDto,
  FORM_SUBMISSION: FormSubmissionDetailsDto,
  CONTENT_DOWNLOAD: ContentDownloadDetailsDto,
  WEBINAR: WebinarDetailsDto,
  EVENT_ATTENDED: EventAttendedDetailsDto,
  SOCIAL_ENGAGEMENT: SocialEngagementDetailsDto,
  CHAT: ChatDetailsDto,
  CALL: CallDetailsDto,
  MEETING: MeetingDetailsDto,
  DEMO: DemoDetailsDto,
  PROPOSAL: ProposalDetailsDto,
};
