import { InputValidationError } from '../../common/validation/input-validation.error';
import { decodeCursor, encodeCursor, type OpportunityOrder } from './opportunity-cursor';

const byAmountDesc: OpportunityOrder = { field: 'AMOUNT', direction: 'DESC' };

function refusalOf(attempt: () => unknown): InputValidationError {
  try {
    attempt();
  } catch (error) {
    if (error instanceof InputValidationError) return error;
    throw error;
  }
  throw new Error('expected the cursor to be refused');
}

describe('Opportunity cursors', () => {
  describe('when decoded for the order they were made for', () => {
    it.each([
      [{ field: 'OPENED_AT', direction: 'ASC' } as const, '2024-03-01T09:30:00.123000Z'],
      [{ field: 'EXPECTED_CLOSE_DATE', direction: 'DESC' } as const, '2024-06-30'],
      [byAmountDesc, '1250000'],
      [{ field: 'NAME', direction: 'ASC' } as const, 'Acme "rollout", phase 2 / ünïcode'],
    ])('give back the sort key and id (%j)', (order, key) => {
      expect(decodeCursor(encodeCursor(order, { key, id: 'opp-7' }), order)).toEqual({ key, id: 'opp-7' });
    });

    it('are opaque, url-safe text', () => {
      expect(encodeCursor(byAmountDesc, { key: '100', id: 'opp/1+2' })).toMatch(/^[A-Za-z0-9_-]+$/);
    });
  });

  describe('when made for another order', () => {
    it('are refused, naming after and both orders', () => {
      const cursor = encodeCursor(byAmountDesc, { key: '100', id: 'opp-1' });

      expect(refusalOf(() => decodeCursor(cursor, { field: 'AMOUNT', direction: 'ASC' })).fieldErrors).toEqual([
        { field: 'after', message: 'after was returned for the order AMOUNT DESC, not for AMOUNT ASC' },
      ]);
    });
  });

  describe('when malformed', () => {
    it.each([
      ['not base64', 'not a cursor!'],
      ['not JSON', Buffer.from('{{', 'utf8').toString('base64url')],
      ['the wrong shape', Buffer.from(JSON.stringify({ key: '1' }), 'utf8').toString('base64url')],
      ['another version', Buffer.from(JSON.stringify([2, 'AMOUNT', 'DESC', '1', 'opp-1']), 'utf8').toString('base64url')],
      ['a key that is no amount', Buffer.from(JSON.stringify([1, 'AMOUNT', 'DESC', '1; DROP TABLE', 'opp-1']), 'utf8').toString('base64url')],
      ['an empty id', Buffer.from(JSON.stringify([1, 'AMOUNT', 'DESC', '1', '']), 'utf8').toString('base64url')],
    ])('are refused when %s', (_, cursor) => {
      expect(refusalOf(() => decodeCursor(cursor, byAmountDesc)).fieldErrors).toEqual([
        { field: 'after', message: 'after is not a cursor this api returned' },
      ]);
    });
  });
});
