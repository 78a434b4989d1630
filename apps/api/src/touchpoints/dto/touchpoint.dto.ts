import { IsDefined, IsIn, IsObject, IsOptional, ValidateIf, ValidateNested } from 'class-validator';
import { touchpointKinds, type TouchpointKind } from '@revops/domain';
import { OptionalId, OptionalText, RequiredText, URL_LENGTH } from './field-rules';

const UTM_LENGTH = 250;

export class UtmDto {
  @OptionalText(UTM_LENGTH) source?: string | null;
  @OptionalText(UTM_LENGTH) medium?: string | null;
  @OptionalText(UTM_LENGTH) campaign?: string | null;
  @OptionalText(UTM_LENGTH) content?: string | null;
  @OptionalText(UTM_LENGTH) term?: string | null;
}

export function isTouchpointKind(value: unknown): value is TouchpointKind {
  return typeof value === 'string' && (touchpointKinds as readonly string[]).includes(value);
}

/** Absent, null and blank all mean "not sent", as they do to the domain. */
export const isAbsent = (value: unknown) => value === undefined || value === null || value === '';
const requiredWithoutTouchpointId = (touchpoint: TouchpointDto, value: unknown) => !isAbsent(value) || isAbsent(touchpoint.touchpointId);

/**
 * One touchpoint as trackers and integrations send it. Formats (UUID, email, URL,
 * timestamp) are the domain's to check: `recordTouchpoint` runs on what passes here.
 */
export class TouchpointDto {
  @OptionalText(64) touchpointId?: string | null;

  // Without a touchpoint id, the id is derived from source + externalId: both must be
  // sent, and a default source would let two deliveries of one touch get two ids.
  @ValidateIf(requiredWithoutTouchpointId)
  @RequiredText(64)
  source?: string | null;

  @ValidateIf(requiredWithoutTouchpointId)
  @RequiredText(256)
  externalId?: string | null;

  @IsDefined({ message: '$property is required' })
  @IsIn(touchpointKinds)
  kind!: TouchpointKind;

  @RequiredText(40) occurredAt!: string;

  @OptionalId() anonymousId?: string | null;
  @OptionalId() contactId?: string | null;
  @OptionalText(254) email?: string | null;
  @OptionalId() accountId?: string | null;
  @OptionalId() campaignId?: string | null;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  utm?: UtmDto | null;

  @OptionalText(URL_LENGTH) referrer?: string | null;
  @OptionalText(URL_LENGTH) landingPage?: string | null;

  // The class of details depends on the kind (see toTouchpointDto).
  @ValidateIf((touchpoint: TouchpointDto) => isTouchpointKind(touchpoint.kind))
  @IsDefined({ message: '$property is required' })
  @IsObject()
  @ValidateNested()
  details!: object;
}
