import { domainErrorCodes } from './error-codes';
import { currentSchemaVersions, eventCatalog } from './event-catalog';
import {
  accountStreamName,
  campaignStreamName,
  contactStreamName,
  journeyStreamName,
  opportunityStreamName,
  personKeyFor,
  pipelineStreamName,
  streamCategoryOf,
} from './stream-names';

describe('Stream names', () => {
  it('follow the category-id convention', () => {
    expect(contactStreamName('ada')).toBe('contact-ada');
    expect(accountStreamName('acme')).toBe('account-acme');
    expect(opportunityStreamName('opp-1')).toBe('opportunity-opp-1');
    expect(campaignStreamName('spring')).toBe('campaign-spring');
    expect(pipelineStreamName('new-business')).toBe('pipeline-new-business');
    expect(journeyStreamName(personKeyFor({ anonymousId: 'cookie-1' }))).toBe('journey-anon-cookie-1');
  });

  it('file a person under the contact once known, even when an anonymous id comes along', () => {
    expect(personKeyFor({ contactId: 'ada', anonymousId: 'cookie-1' })).toBe('ada');
  });

  it('refuse an id that would break the stream name', () => {
    expect(() => contactStreamName('ada lovelace')).toThrow(expect.objectContaining({ code: 'INVALID_ID' }));
    expect(() => opportunityStreamName('')).toThrow(expect.objectContaining({ code: 'REQUIRED_FIELD_MISSING' }));
  });

  it('give back the category of a stream', () => {
    expect(streamCategoryOf('opportunity-opp-1')).toBe('opportunity');
    expect(streamCategoryOf('$all')).toBeNull();
  });
});

describe('Event catalog', () => {
  it('lists every event type once, at schema version 1', () => {
    const types = eventCatalog.map((entry) => entry.type);
    expect(new Set(types).size).toBe(types.length);
    expect(types.sort()).toEqual(Object.keys(currentSchemaVersions).sort());
    expect(eventCatalog.every((entry) => entry.schemaVersion === 1)).toBe(true);
  });

  it('names the stream category each event type is stored in', () => {
    expect(eventCatalog).toEqual(
      expect.arrayContaining([
        { type: 'TouchpointRecorded', streamCategory: 'journey', schemaVersion: 1 },
        { type: 'ClosedWon', streamCategory: 'opportunity', schemaVersion: 1 },
        { type: 'LeadRejectedBySales', streamCategory: 'contact', schemaVersion: 1 },
      ]),
    );
  });
});

describe('Error codes', () => {
  it('are listed once each', () => {
    expect(new Set(domainErrorCodes).size).toBe(domainErrorCodes.length);
    expect(domainErrorCodes).toEqual(
      expect.arrayContaining(['OPPORTUNITY_ALREADY_CLOSED', 'UNKNOWN_STAGE', 'CURRENCY_MISMATCH', 'INVALID_AMOUNT']),
    );
  });
});
