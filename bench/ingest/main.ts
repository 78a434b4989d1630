import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EventStore } from '@revops/event-store';
import { startApi } from '../../apps/api/src/bootstrap';
import { forEachConcurrently } from '@revops/platform';
import { ingestionLimits } from '../../apps/api/src/touchpoints/ingestion/ingestion-limits';
import { generateTraffic, type TouchpointPayload } from '../generators/traffic';
import { log, machine, positiveInteger, writeReport } from '../report';
import { appendsOfBatch, forPass, inBatches, type StreamAppend } from './prepare';

const USAGE = `npm run bench:ingest -- [--touchpoints N] [--batch-size N] [--in-flight N] [--rounds N] [--seed N] [--large]

Touchpoints/s through POST /v1/touchpoints (real HTTP to an api started in-process on the
dev event store) against EventStore.append of the same events in the same batches.
Defaults: 12000 touchpoints per pass, batches of 500, 4 batches in flight, 4 rounds
(each round one pass of each path), about a minute and a half with the build.
--large: 100000 touchpoints per pass.`;

interface PassResult {
  pass: string;
  touchpoints: number;
  batches: number;
  seconds: number;
  touchpointsPerSecond: number;
  batchMillis: { p50: number; p95: number; max: number };
  /** Process CPU time (api, store and client share it) per 1,000 touchpoints. */
  cpuMillisPerThousand: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      touchpoints: { type: 'string' },
      'batch-size': { type: 'string', default: '500' },
      'in-flight': { type: 'string', default: '4' },
      rounds: { type: 'string', default: '4' },
      seed: { type: 'string', default: '20240301' },
      large: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const config = {
    touchpointsPerPass: positiveInteger(values.touchpoints ?? (values.large ? '100000' : '12000'), '--touchpoints', USAGE),
    batchSize: positiveInteger(values['batch-size'], '--batch-size', USAGE),
    inFlight: positiveInteger(values['in-flight'], '--in-flight', USAGE),
    rounds: positiveInteger(values.rounds, '--rounds', USAGE),
    seed: positiveInteger(values.seed, '--seed', USAGE),
    appendConcurrency: ingestionLimits.appendConcurrency,
  };
  if (config.batchSize > ingestionLimits.maxItems) throw new Error(`--batch-size may be at most ${ingestionLimits.maxItems}`);

  const traffic = generateTraffic({ seed: config.seed, touchpoints: config.touchpointsPerPass });
  const dataDir = await mkdtemp(join(tmpdir(), 'revops-bench-ingest-'));
  // production: no schema file written into the working tree; warn: no line per request.
  const api = await startApi({ PORT: '0', DATA_DIR: dataDir, NODE_ENV: 'production', LOG_LEVEL: 'warn' });
  const store = new EventStore({ connectionString: api.runtime.eventStore.connectionString });

  try {
    log(`bench:ingest ${config.touchpointsPerPass} touchpoints per pass, batches of ${config.batchSize}, ${config.inFlight} in flight, ${config.rounds} rounds`);
    const warmUp = traffic.touchpoints.slice(0, Math.min(5_000, traffic.touchpoints.length));
    await runRaw(store, warmUp, 'warm-raw', config);
    await runHttp(api.url, warmUp, 'warm-http', config);

    const raw: PassResult[] = [];
    const http: PassResult[] = [];
    for (let round = 1; round <= config.rounds; round++) {
      // Alternating the order spreads any drift (a growing journal, JIT) over both paths.
      const order = round % 2 === 1 ? (['raw', 'http'] as const) : (['http', 'raw'] as const);
      for (const path of order) {
        const result =
          path === 'raw'
            ? await runRaw(store, traffic.touchpoints, `raw-${round}`, config)
            : await runHttp(api.url, traffic.touchpoints, `http-${round}`, config);
        (path === 'raw' ? raw : http).push(result);
        log(`  ${result.pass.padEnd(7)} ${Math.round(result.touchpointsPerSecond)} touchpoints/s (${result.seconds.toFixed(2)} s)`);
      }
    }

    const rawRate = overallRate(raw);
    const httpRate = overallRate(http);
    const ratio = httpRate / rawRate;
    const finishedAt = new Date();
    const report = {
      benchmark: 'ingest',
      finishedAt: finishedAt.toISOString(),
      machine: machine(),
      config,
      traffic: { ...traffic.people, kinds: countKinds(traffic.touchpoints) },
      raw: { touchpointsPerSecond: Math.round(rawRate), passes: raw },
      http: { touchpointsPerSecond: Math.round(httpRate), passes: http },
      ratio: Number(ratio.toFixed(3)),
      // Per round, to show how much of the overall ratio is noise.
      ratioByRound: http.map((pass, round) => Number((pass.touchpointsPerSecond / raw[round].touchpointsPerSecond).toFixed(3))),
      aim: 0.6,
      aimMet: ratio >= 0.6,
    };
    const file = await writeReport('ingest', report, finishedAt);
    log(`raw ${Math.round(rawRate)}/s, http ${Math.round(httpRate)}/s, ratio ${ratio.toFixed(3)} (aim ≥ 0.6): ${file}`);
  } finally {
    await store.close();
    await api.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** EventStore.append of the endpoint's own appends, built before the clock starts. */
async function runRaw(store: EventStore, touchpoints: readonly TouchpointPayload[], pass: string, config: { batchSize: number; inFlight: number; appendConcurrency: number }): Promise<PassResult> {
  const batches = inBatches(touchpoints.map((touch) => forPass(touch, pass)), config.batchSize).map((batch) => appendsOfBatch(batch, randomUUID()));
  return measure(pass, touchpoints.length, batches, config.inFlight, async (appends: StreamAppend[]) => {
    await forEachConcurrently(appends, config.appendConcurrency, async ({ streamName, events }) => {
      await store.append(streamName, events, { expectedRevision: 'any' });
    });
  });
}

/** POST /v1/touchpoints with the batches serialised before the clock starts, as a tracker holds them. */
async function runHttp(url: string, touchpoints: readonly TouchpointPayload[], pass: string, config: { batchSize: number; inFlight: number }): Promise<PassResult> {
  const bodies = inBatches(touchpoints.map((touch) => forPass(touch, pass)), config.batchSize).map((batch) => ({ body: JSON.stringify(batch), count: batch.length }));
  return measure(pass, touchpoints.length, bodies, config.inFlight, async ({ body, count }) => {
    const response = await fetch(`${url}/v1/touchpoints`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    const result = (await response.json()) as { accepted?: string[]; rejected?: unknown[] };
    if (response.status !== 200 || result.accepted?.length !== count) {
      throw new Error(`POST /v1/touchpoints answered ${response.status}: ${JSON.stringify(result).slice(0, 500)}`);
    }
  });
}

async function measure<T>(pass: string, touchpoints: number, batches: T[], inFlight: number, send: (batch: T) => Promise<void>): Promise<PassResult> {
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await forEachConcurrently(batches, inFlight, async (batch) => {
    const sent = performance.now();
    await send(batch);
    latencies.push(performance.now() - sent);
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]);
  return {
    pass,
    touchpoints,
    batches: batches.length,
    seconds: Number(seconds.toFixed(3)),
    touchpointsPerSecond: Math.round(touchpoints / seconds),
    batchMillis: { p50: at(0.5), p95: at(0.95), max: at(1) },
    cpuMillisPerThousand: Number(((cpu.user + cpu.system) / 1000 / (touchpoints / 1000)).toFixed(1)),
  };
}

function overallRate(passes: readonly PassResult[]): number {
  const touchpoints = passes.reduce((sum, pass) => sum + pass.touchpoints, 0);
  return touchpoints / passes.reduce((sum, pass) => sum + pass.seconds, 0);
}

function countKinds(touchpoints: readonly TouchpointPayload[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { kind } of touchpoints) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}


main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
