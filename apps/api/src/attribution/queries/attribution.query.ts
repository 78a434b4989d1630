import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { RuleBasedModelName } from '@revops/attribution';
import { ReadModels } from '../../common/read-side/read-models';
import type { AttributionRequest } from './attribution-request';
import { attributionReport, REPORT_PROJECTIONS, type AttributionFigures, type AttributionReport } from './attribution-report';

export class AttributionQuery extends Query<AttributionReport> {
  constructor(readonly request: AttributionRequest) {
    super();
  }
}

@QueryHandler(AttributionQuery)
export class AttributionHandler implements IQueryHandler<AttributionQuery> {
  constructor(private readonly readModels: ReadModels) {}

  execute({ request }: AttributionQuery): Promise<AttributionReport> {
    return this.readModels.report('attribution', answerArgs(request), REPORT_PROJECTIONS, request.minPosition, (view) => attributionReport(view, request));
  }
}

/** What a report's answer depends on besides the read models: the request but the position it waits for. */
export function answerArgs(request: AttributionRequest): Omit<AttributionRequest, 'minPosition'> {
  const { minPosition, ...args } = request;
  void minPosition;
  return args;
}

export interface ComparisonRow {
  readonly key: string;
  readonly name: string | null;
  readonly models: readonly (AttributionFigures & { readonly model: RuleBasedModelName })[];
}

export interface AttributionComparison {
  readonly models: readonly RuleBasedModelName[];
  readonly rows: readonly ComparisonRow[];
  readonly reports: readonly AttributionReport[];
}

/** One request per model, all alike but for the model. */
export class AttributionComparisonQuery extends Query<AttributionComparison> {
  constructor(readonly requests: readonly AttributionRequest[]) {
    super();
  }
}

@QueryHandler(AttributionComparisonQuery)
export class AttributionComparisonHandler implements IQueryHandler<AttributionComparisonQuery> {
  constructor(private readonly readModels: ReadModels) {}

  execute({ requests }: AttributionComparisonQuery): Promise<AttributionComparison> {
    return this.readModels.report('attributionComparison', requests.map(answerArgs), REPORT_PROJECTIONS, requests[0].minPosition, async (view) => {
      // One after another: each report is one statement, and a comparison should not take
      // several of the pool's connections from other clients at once.
      const reports: AttributionReport[] = [];
      for (const request of requests) reports.push(await attributionReport(view, request));
      return { models: reports.map((report) => report.model), rows: sideBySide(reports), reports };
    });
  }
}

/** Every key any model credits, with each model's figures (zeros where a model gives it nothing), ordered as the first model orders them. */
export function sideBySide(reports: readonly AttributionReport[]): ComparisonRow[] {
  const keys = new Map<string, string | null>();
  for (const report of reports) for (const row of report.rows) if (!keys.has(row.key) || row.name) keys.set(row.key, row.name);
  const order = new Map(reports[0].rows.map((row, index) => [row.key, index]));
  return [...keys]
    .sort(([a], [b]) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, name]) => ({
      key,
      name,
      models: reports.map((report) => ({ model: report.model, ...(report.rows.find((row) => row.key === key) ?? noFigures) })),
    }));
}

const noFigures: AttributionFigures = {
  conversions: 0,
  amountMinor: 0,
  dealsTouched: 0,
  customers: 0,
  revenueMinor: 0,
  spendMinor: 0,
  leads: 0,
  mqls: 0,
  roi: null,
  roas: null,
  costPerLeadMinor: null,
  cacMinor: null,
};
