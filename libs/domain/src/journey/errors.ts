export const journeyErrorCodes = ['PERSON_IDENTIFIER_MISSING'] as const;
