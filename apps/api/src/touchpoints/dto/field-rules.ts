import { applyDecorators } from '@nestjs/common';
import { IsDefined, IsIn, IsInt, IsOptional, IsString, MaxLength } from 'class-validator';

// Limits match the domain's (libs/domain shared/validation): the DTO refuses oversized or
// mistyped input up front, with every bad field at once; the domain then checks formats
// (UUIDs, emails, URLs, timestamps) and normalises.

/** Ids end up in stream names, where the domain allows 128 characters. */
export const ID_LENGTH = 128;
export const NAME_LENGTH = 200;
export const TITLE_LENGTH = 300;
export const TEXT_LENGTH = 500;
export const URL_LENGTH = 2048;

const required = IsDefined({ message: '$property is required' });

export const RequiredText = (maxLength: number) => applyDecorators(required, IsString(), MaxLength(maxLength));
export const OptionalText = (maxLength: number) => applyDecorators(IsOptional(), IsString(), MaxLength(maxLength));
export const RequiredId = () => RequiredText(ID_LENGTH);
export const OptionalId = () => OptionalText(ID_LENGTH);
export const RequiredChoice = (allowed: readonly string[]) => applyDecorators(required, IsIn(allowed));
export const OptionalChoice = (allowed: readonly string[]) => applyDecorators(IsOptional(), IsIn(allowed));
// Ranges are the domain's to check; here only that a number is a whole one.
export const RequiredInteger = () => applyDecorators(required, IsInt());
export const OptionalInteger = () => applyDecorators(IsOptional(), IsInt());
