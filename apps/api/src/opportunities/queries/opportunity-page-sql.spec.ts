import { InputValidationError } from '../../common/validation/input-validation.error';
import { checkCriteria, opportunityPageStatements, type OpportunityPageRequest } from './opportunity-page-sql';

const table = '"rm_opportunities_v1"."opportunities"';

const aRequest = (overrides: Partial<OpportunityPageRequest> = {}): OpportunityPageRequest => ({
  criteria: {},
  order: { field: 'OPENED_AT', direction: 'DESC' },
  after: null,
  first: 50,
  ...overrides,
});

describe('Opportunity page statements', () => {
  describe('without a filter or a cursor', () => {
    // Qualified with the table alias: the select list renders some columns as text under their own names.
    it('reads the first page in the order asked, by the table columns, one row more than the page, ties broken by id', () => {
      const { page, count } = opportunityPageStatements(table, 'opportunity_id, name', aRequest({ first: 10 }));

      expect(page).toEqual({
        sql:
          `SELECT opportunity_id, name, to_char(opened_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS sort_key ` +
          `FROM ${table} o ORDER BY o.opened_at DESC, o.opportunity_id DESC LIMIT $1::int`,
        parameters: [11],
      });
      expect(count).toEqual({ sql: `SELECT count(*)::int AS total FROM ${table} o`, parameters: [] });
    });
  });

  describe('with every filter', () => {
    it('narrows the page and the count alike', () => {
      const { page, count } = opportunityPageStatements(
        table,
        'opportunity_id',
        aRequest({
          criteria: {
            pipelineId: 'enterprise',
            stageId: 'proposal',
            ownerId: 'rep-ann',
            status: ['open', 'won'],
            expectedCloseDate: { from: '2024-07-01', to: '2024-09-30' },
            closedAt: { from: '2024-07-01T00:00:00Z', to: '2024-10-01T00:00:00Z' },
            amount: { currency: 'EUR', minMinor: 100_000, maxMinor: 900_000 },
          },
          order: { field: 'AMOUNT', direction: 'ASC' },
        }),
      );

      const where =
        'WHERE pipeline_id = $1::text AND stage_id = $2::text AND owner_id = $3::text AND status = ANY($4::text[])' +
        ' AND expected_close_date >= $5::date AND expected_close_date <= $6::date' +
        ' AND closed_at >= $7::timestamptz AND closed_at < $8::timestamptz' +
        ' AND currency = $9::text AND amount_minor >= $10::bigint AND amount_minor <= $11::bigint';
      const values = [
        'enterprise',
        'proposal',
        'rep-ann',
        ['open', 'won'],
        '2024-07-01',
        '2024-09-30',
        '2024-07-01T00:00:00Z',
        '2024-10-01T00:00:00Z',
        'EUR',
        100_000,
        900_000,
      ];
      expect(count).toEqual({ sql: `SELECT count(*)::int AS total FROM ${table} o ${where}`, parameters: values });
      expect(page).toEqual({
        sql: `SELECT opportunity_id, amount_minor::text AS sort_key FROM ${table} o ${where} ORDER BY o.amount_minor ASC, o.opportunity_id ASC LIMIT $12::int`,
        parameters: [...values, 51],
      });
    });

    it('treats an empty status list as every status', () => {
      expect(opportunityPageStatements(table, 'opportunity_id', aRequest({ criteria: { status: [] } })).count.sql).toBe(
        `SELECT count(*)::int AS total FROM ${table} o`,
      );
    });
  });

  describe('after a cursor', () => {
    it.each([
      ['ASC', '>'],
      ['DESC', '<'],
    ] as const)('starts %s after the last (sort key, id), leaving the count alone', (direction, comparison) => {
      const { page, count } = opportunityPageStatements(
        table,
        'opportunity_id',
        aRequest({
          criteria: { ownerId: 'rep-ann' },
          order: { field: 'EXPECTED_CLOSE_DATE', direction },
          after: { key: '2024-08-31', id: 'opp-9' },
          first: 3,
        }),
      );

      expect(page).toEqual({
        sql:
          `SELECT opportunity_id, expected_close_date::text AS sort_key FROM ${table} o` +
          ` WHERE owner_id = $1::text AND (o.expected_close_date, o.opportunity_id) ${comparison} ($2::date, $3::text)` +
          ` ORDER BY o.expected_close_date ${direction}, o.opportunity_id ${direction} LIMIT $4::int`,
        parameters: ['rep-ann', '2024-08-31', 'opp-9', 4],
      });
      expect(count.parameters).toEqual(['rep-ann']);
    });
  });
});

describe('Opportunity criteria', () => {
  it('accepts open-ended and single-point ranges', () => {
    expect(() =>
      checkCriteria({
        expectedCloseDate: { from: '2024-07-01', to: '2024-07-01' },
        closedAt: { from: '2024-07-01T00:00:00Z' },
        amount: { currency: 'EUR', minMinor: 5, maxMinor: 5 },
      }),
    ).not.toThrow();
  });

  it('refuses every minimum above its maximum, naming each field', () => {
    let refusal: unknown;
    try {
      checkCriteria({
        expectedCloseDate: { from: '2024-08-01', to: '2024-07-31' },
        closedAt: { from: '2024-08-01T00:00:00Z', to: '2024-07-31T23:59:59Z' },
        amount: { currency: 'EUR', minMinor: 10, maxMinor: 9 },
      });
    } catch (error) {
      refusal = error;
    }

    expect(refusal).toBeInstanceOf(InputValidationError);
    expect((refusal as InputValidationError).fieldErrors).toEqual([
      { field: 'filter.expectedCloseDate.from', message: 'expectedCloseDate.from must not be after expectedCloseDate.to' },
      { field: 'filter.closedAt.from', message: 'closedAt.from must not be after closedAt.to' },
      { field: 'filter.amount.minMinor', message: 'amount.minMinor must not be above amount.maxMinor' },
    ]);
  });
});
