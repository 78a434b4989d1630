import 'reflect-metadata';
import { parseArgs } from 'node:util';
import {
  attribute,
  attributeByRemovalEffect,
  attributeByShapley,
  buildJourney,
  canonicalRows,
  formatPathsFile,
  markovAttribution,
  parsePathsFile,
  removalEffects,
  ruleBasedModels,
  shapleyAttribution,
  type Journey,
  type RuleBasedModel,
} from '@revops/attribution';
import { log, machine, percentiles, positiveInteger, writeReport } from '../report';
import { generateJourneys, generateOpportunities } from './generate';
import { benchAttributionReport } from './report';

const USAGE = `npm run bench:attribution -- [--journeys N] [--paths N] [--opportunities N] [--runs N] [--seed N]
       [--report-touchpoints N] [--report-opportunities N] [--report-requests N]

Times the attribution engine on generated data: MARKOV (orders 1, 2, 3) and SHAPLEY over
journeys aggregated into path rows, against reading the same rows from a paths file, and
every rule-based model over opportunities. Defaults: 100000 journeys over 10000 distinct
paths, 50000 opportunities, 5 timed runs after a warm-up. Then fills the attribution read
model (1000000 touchpoints, 50000 deals; DATABASE_URL when set, embedded PostgreSQL
otherwise) and times the rule-based report for a quarter (50 requests each).`;

interface Timing {
  medianMs: number;
  minMs: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      journeys: { type: 'string', default: '100000' },
      paths: { type: 'string', default: '10000' },
      opportunities: { type: 'string', default: '50000' },
      runs: { type: 'string', default: '5' },
      seed: { type: 'string', default: '20240301' },
      'report-touchpoints': { type: 'string', default: '1000000' },
      'report-opportunities': { type: 'string', default: '50000' },
      'report-requests': { type: 'string', default: '50' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const config = {
    journeys: positiveInteger(values.journeys, '--journeys', USAGE),
    distinctPaths: positiveInteger(values.paths, '--paths', USAGE),
    opportunities: positiveInteger(values.opportunities, '--opportunities', USAGE),
    runs: positiveInteger(values.runs, '--runs', USAGE),
    seed: positiveInteger(values.seed, '--seed', USAGE),
    report: {
      touchpoints: positiveInteger(values['report-touchpoints'], '--report-touchpoints', USAGE),
      opportunities: positiveInteger(values['report-opportunities'], '--report-opportunities', USAGE),
      requests: positiveInteger(values['report-requests'], '--report-requests', USAGE),
    },
  };
  if (config.distinctPaths > config.journeys) throw new Error(`--paths may be at most --journeys\n\n${USAGE}`);

  const { journeys } = generateJourneys(config.seed, config.journeys, config.distinctPaths);
  const aggregate = time(config.runs, () => canonicalRows(journeys));
  const rows = aggregate.result;
  const pathsFile = formatPathsFile(rows);
  const read = time(config.runs, () => parsePathsFile(pathsFile));
  log(`bench:attribution ${config.journeys} journeys over ${rows.length} distinct paths, ${config.opportunities} opportunities, ${config.runs} runs`);
  log(`  read paths file    ${read.medianMs} ms; aggregate journeys ${aggregate.medianMs} ms`);

  const markov = Object.fromEntries(
    [1, 2, 3].map((order) => {
      const run = time(config.runs, () => markovAttribution(read.result, { order }));
      const states = statesAtOrder(rows, order);
      log(`  markov order ${order}     ${run.medianMs} ms (${states} states)`);
      return [`order${order}`, { ...timing(run), states, conversionProbability: round(run.result.conversionProbability) }];
    }),
  );
  const shapley = time(config.runs, () => shapleyAttribution(read.result));
  log(`  shapley            ${shapley.medianMs} ms`);

  const opportunities = generateOpportunities(config.seed, config.opportunities);
  const built = time(config.runs, () => opportunities.map(({ touches, facts, basis }) => buildJourney(touches, facts, { basis })));
  log(`  build journeys     ${built.medianMs} ms`);
  const models: RuleBasedModel[] = ruleBasedModels.map((name) => (name === 'CUSTOM' ? { name, weights: { FT: 25, LC: 25, OC: 20, CW: 10, last: 10, middle: 10 } } : ({ name } as RuleBasedModel)));
  const perModel = Object.fromEntries(
    models.map((model) => {
      const run = creditAll(built.result, config.runs, (journey) => attribute(journey, model));
      log(`  ${model.name.padEnd(18)} ${run.medianMs} ms`);
      return [model.name, run];
    }),
  );
  const effects = removalEffects(markovAttribution(read.result));
  perModel.MARKOV = creditAll(built.result, config.runs, (journey) => attributeByRemovalEffect(journey, 'channel', effects));
  perModel.SHAPLEY = creditAll(built.result, config.runs, (journey) => attributeByShapley(journey, 'channel'));
  log(`  MARKOV per opp.    ${perModel.MARKOV.medianMs} ms, SHAPLEY per opp. ${perModel.SHAPLEY.medianMs} ms`);

  const reportLatency = await benchAttributionReport({ ...config.report, seed: config.seed });

  const conversions = rows.reduce((sum, row) => sum + row.conversions, 0);
  const finishedAt = new Date();
  const report = {
    benchmark: 'attribution',
    finishedAt: finishedAt.toISOString(),
    machine: machine(),
    config,
    data: {
      pathRows: rows.length,
      conversions,
      conversionRate: round(conversions / config.journeys),
      meanPathLength: round(journeys.reduce((sum, { path }) => sum + path.length, 0) / journeys.length),
      touchesPerOpportunity: round(opportunities.reduce((sum, { touches }) => sum + touches.length, 0) / opportunities.length),
    },
    baseline: { readPathsFile: timing(read), aggregateJourneys: timing(aggregate) },
    markov,
    shapley: timing(shapley),
    // Same process, same rows: how much more than merely reading them the model costs.
    ratios: {
      markovOrder1ToReadPathsFile: round(markov.order1.medianMs / read.medianMs),
      markovOrder3ToReadPathsFile: round(markov.order3.medianMs / read.medianMs),
      shapleyToReadPathsFile: round(shapley.medianMs / read.medianMs),
    },
    perOpportunity: { opportunities: config.opportunities, buildJourneys: timing(built), models: perModel },
    reportLatency,
    aim: {
      markovOrder1UnderMs: 1000,
      met: markov.order1.medianMs < 1000,
      reportP95UnderMs: 100,
      reportMet: Object.values(reportLatency.reports).every((report) => report.p95Ms < 100),
    },
  };
  const file = await writeReport('attribution', report, finishedAt);
  log(`markov order 1 ${markov.order1.medianMs} ms (${report.ratios.markovOrder1ToReadPathsFile}× reading the file): ${file}`);
}

/** One warm-up, then `runs` timed runs of the same work; the last result is kept. */
function time<T>(runs: number, work: () => T): Timing & { result: T } {
  let result = work();
  const millis: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    result = work();
    millis.push(performance.now() - started);
  }
  const [median, min] = percentiles(millis, [0.5, 0]);
  return { medianMs: round(median), minMs: round(min), result };
}

function timing({ medianMs, minMs }: Timing): Timing {
  return { medianMs, minMs };
}

function creditAll(journeys: readonly Journey[], runs: number, credit: (journey: Journey) => unknown): Timing & { microsPerOpportunity: number } {
  const run = time(runs, () => journeys.map(credit));
  return { ...timing(run), microsPerOpportunity: round((run.medianMs * 1000) / journeys.length) };
}

/** Distinct windows of `order` values over the collapsed paths: the Markov chain's states, less start. */
function statesAtOrder(rows: readonly { path: readonly string[] }[], order: number): number {
  const states = new Set<string>();
  for (const { path } of rows) {
    const collapsed = path.filter((value, index) => index === 0 || value !== path[index - 1]);
    for (let start = 0; start < Math.max(1, collapsed.length - order + 1); start++) states.add(collapsed.slice(start, start + order).join('>'));
  }
  return states.size;
}

function round(value: number): number {
  return Number(value.toPrecision(4));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
