import type { TouchpointKind } from '@revops/domain';
import { DemoAttendeeDto, detailsDtoByKind, ProposalAmountDto } from './touchpoint-details.dto';
import { isTouchpointKind, TouchpointDto, UtmDto } from './touchpoint.dto';

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * class-validator checks instances of the DTO classes. Parsed JSON becomes one by taking
 * the DTO's prototype and its own fields, nothing more: class-transformer's generic walk
 * over every property cost a third as much as the validation itself, on every item of
 * every batch. Non-objects pass through unchanged, for the validator to refuse.
 */
function dtoOf(type: new () => object, value: unknown): unknown {
  if (!isFields(value)) return value;
  const dto = Object.create(type.prototype) as Fields;
  for (const key of Object.keys(value)) {
    // JSON.parse keeps `__proto__` as a plain key; assigning it would swap the prototype
    // (and so the rules applied). It is dropped, as class-transformer drops it.
    if (key !== '__proto__') dto[key] = value[key];
  }
  return dto;
}

function detailsDtoOf(kind: TouchpointKind, value: unknown): unknown {
  const details = dtoOf(detailsDtoByKind[kind], value);
  if (!isFields(details)) return details;
  if (kind === 'DEMO' && Array.isArray(details.attendees)) details.attendees = details.attendees.map((attendee) => dtoOf(DemoAttendeeDto, attendee));
  if (kind === 'PROPOSAL' && 'amount' in details) details.amount = dtoOf(ProposalAmountDto, details.amount);
  return details;
}

/** A parsed touchpoint as DTO instances, nested objects included, ready for class-validator. */
export function toTouchpointDto(value: Fields): TouchpointDto {
  const dto = dtoOf(TouchpointDto, value) as TouchpointDto & Fields;
  if ('utm' in dto) dto.utm = dtoOf(UtmDto, dto.utm) as UtmDto;
  // An unknown kind leaves details unchecked: the kind error says what to fix first.
  if (isTouchpointKind(dto.kind) && 'details' in dto) dto.details = detailsDtoOf(dto.kind, dto.details) as object;
  return dto;
}
