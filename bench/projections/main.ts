import 'reflect-metadata';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { pipeline as streamPipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { parseArgs, promisify } from 'node:util';
import { Logger } from '@nestjs/common';
import { Pool, type PoolClient } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { EventStore, type Position } from '@revops/event-store';
import { DEFAULT_RUNNER_SETTINGS, type RunnerSettings } from '@revops/projections';
import { startEmbeddedPostgres, withClient } from '@revops/read-models';
import { forEachConcurrently } from '@revops/platform';
import { freshDatabase, type BenchDatabase as Database } from '../database';
import { SeededRandom } from '../generators/random';
import { cpuSecondsSince, elapsed, log, machine, parentPid, percentiles, positiveInteger, processTreeCpuSeconds, withCpuTimes, writeReport } from '../report';
import { salesHistory, type SalesHistory, type StreamHistory } from './history';
import type { RebuildRequest, RebuildResult } from './rebuild';

const runFile = promisify(execFile);

/**
 * Node's flags the projector runs with (`docker-compose.yml`, the README): a young generation of
 * 256 MB a semi-space instead of 16. While a rebuild catches up, some 20,000 events are in
 * flight (read ahead, queued, in the batch being applied), with the changes made of them: at
 * 64 MB a semi-space they outlived two scavenges and went to the old generation, 1.3 GB of
 * them over a rebuild of 1,000,000 events; at 256 MB, 0.36 GB, and the main thread's scavenge
 * pauses went from 5.3 to 3.1 s (at 16 MB: 1,736 scavenges, 15.5 s). The young generation
 * grows to that size only while the allocation rate keeps it full. The benchmark runs its
 * rebuild and its raw reads with them.
 */
const PROJECTOR_NODE_FLAGS = ['--max-semi-space-size=256'];

/** The repository, above `dist/bench/projections`. */
const ROOT = join(__dirname, '..', '..', '..');

const USAGE = `npm run bench:projections -- [--opportunities N] [--clients N] [--requests N] [--batch-size N] [--seed N]
  [--pause-ms N] [--rounds N] [--keep-database] [--separate-reads] [--interleaved]

Rebuild of every read model from a generated sales history, which feeds pipelines, opportunities and
attribution's deal inputs (about nine and a half events a deal; the default 106,000 deals make just over 1,000,000 events),
in a process of its own as the projector runs it, against a raw read of $all (in a process of its
own too, timed before and after the rebuild; the quicker read is the baseline), --rounds times
(default 3), each rebuild into a read store of its own, between one raw read and the next; the
round with the median ratio is the result, every round reported, so that a host that slows the
machine for a while moves one round, not the result), and a bulk load of the same final rows, in the same run (binary COPY into bare tables, then their keys
and indexes built, then VACUUM (ANALYZE), as a bulk loader does it); then
GraphQL latency of opportunities, pipeline and salesMetrics (some figures, then every one) under concurrent clients over
real HTTP, against the built api in a process of its own: back to back (each client sends its
next request once answered, which saturates the api) and paced (each waits --pause-ms, give or
take half, after an answer, as a person at a dashboard does); every answer computed, then with
answers kept per read-model state; last, the COPY again while a third raw read runs, which together
is all a rebuild has to do with no projection work: the most the rebuild's ratio to the raw read
can reach on the machine. Uses DATABASE_URL when set, embedded PostgreSQL otherwise (which
takes no COPY over its connection: the bulk-load baselines are then left out); the event store is
the dev server, built, in a process of its own (as a real event store is), on a fresh journal.
Defaults: --opportunities 106000 --clients 100 --requests 2000 (per query) --pause-ms 1000 --rounds 3; --batch-size
(events per projection transaction during the rebuild) defaults to the runner's own catch-up batch size. --keep-database leaves the last
rebuilt read store on a PostgreSQL server (DATABASE_URL) for inspection; drop it afterwards. --separate-reads
gives each read model a read of $all of its own while catching up, instead of one shared read.
The history is written as an import writes it, each deal's events in one append; --interleaved
writes it as it is recorded live instead: every deal's events in the order they happen, many
deals at once, so that a deal's events lie far apart in $all.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      opportunities: { type: 'string', default: '106000' },
      clients: { type: 'string', default: '100' },
      requests: { type: 'string', default: '2000' },
      'batch-size': { type: 'string' },
      seed: { type: 'string', default: '20241001' },
      'pause-ms': { type: 'string', default: '1000' },
      rounds: { type: 'string', default: '3' },
      'keep-database': { type: 'boolean', default: false },
      'separate-reads': { type: 'boolean', default: false },
      interleaved: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const config = {
    opportunities: positiveInteger(values.opportunities, '--opportunities', USAGE),
    clients: positiveInteger(values.clients, '--clients', USAGE),
    requestsPerQuery: positiveInteger(values.requests, '--requests', USAGE),
    batchSize: values['batch-size'] === undefined ? DEFAULT_RUNNER_SETTINGS.catchUpBatchSize : positiveInteger(values['batch-size'], '--batch-size', USAGE),
    seed: positiveInteger(values.seed, '--seed', USAGE),
    pauseMs: positiveInteger(values['pause-ms'], '--pause-ms', USAGE),
    rounds: positiveInteger(values.rounds, '--rounds', USAGE),
    sharedCatchUp: !values['separate-reads'],
    history: values.interleaved ? 'interleaved, as recorded live' : 'one append per deal, as imported',
    readStore: process.env.DATABASE_URL ? 'postgresql' : 'embedded',
    eventStore: 'dev server, own process',
    rawReadsAndRebuild: 'each in a fresh process of its own',
  };
  Logger.overrideLogger(['error', 'warn']);
  const dir = await mkdtemp(join(tmpdir(), 'revops-bench-projections-'));
  const devServer = await startEventStoreProcess(join(dir, 'eventstore'));
  let database = await freshReadStore(dir, 1);
  const store = new EventStore({ connectionString: devServer.connectionString });
  try {
    log(`bench:projections ${config.opportunities} opportunities, read store ${config.readStore}`);
    // Only what the queries and the report need is kept of the history once it is written.
    const written = await writeHistory(store, salesHistory({ opportunities: config.opportunities, seed: config.seed }), values.interleaved);
    const { history } = written;
    log(`  wrote ${history.events} events in ${written.seconds.toFixed(1)} s (${Math.round(history.events / written.seconds)}/s)`);
    // The generated history, a million events, is garbage now: collected here (node runs this
    // with --expose-gc), it is not collected in the middle of a timed read or rebuild, taking
    // a core from them for most of a second.
    (globalThis as { gc?: () => void }).gc?.();

    // Each rebuild is timed between two raw reads, and its ratio taken against the quicker of
    // them: on a shared machine one read can take half as long again as another. The host can
    // slow the whole machine for a minute or more (the same loop of arithmetic took 31 s once and
    // 21 to 22 s four times after it), so the rebuild and its reads are run --rounds times, each
    // rebuild into a read store of its own, and the round with the median ratio stands for
    // the run.
    const rounds: RebuildRound[] = [];
    let readBefore: RawRead = await timedRawRead(devServer, 'before the first rebuild');
    for (let round = 1; round <= config.rounds; round++) {
      if (round > 1) {
        await database.close();
        database = await freshReadStore(dir, round);
      }
      const rebuild = await rebuildReadModels(devServer, database, written.head, { catchUpBatchSize: config.batchSize, shareCatchUp: config.sharedCatchUp });
      log(
        `  rebuild ${round}: ${rebuild.seconds.toFixed(1)} s (${Math.round(history.events / rebuild.seconds)} events/s); serving after ${JSON.stringify(rebuild.perProjection)} s${cpuUsed('projector', rebuild.cpuSeconds.projector, rebuild.cpuSeconds.eventStore, rebuild.cpuSeconds.readStore)}${wal(rebuild.walBytes)}${stolen(rebuild.stolenCpuSeconds)}`,
      );
      const readAfter = await timedRawRead(devServer, `after rebuild ${round}`);
      rounds.push(rebuildRound(round, rebuild, readBefore, readAfter, history.events));
      readBefore = readAfter;
    }
    const median = medianRound(rounds);
    const { rebuild, reads, rawRead } = median;
    log(`  rebuild/raw read by round: ${rounds.map((round) => round.ratio.toFixed(3)).join(', ')}; the median: round ${median.round}`);
    // Embedded PostgreSQL takes no COPY over its connection: there the bulk loads are left out.
    const final = await finalRows(database.url, rebuild.schemas, { dump: !database.embedded });
    const copySeconds = final.dumps === null ? null : await bulkLoad(database.url, final.dumps);
    log(
      copySeconds === null
        ? `  ${final.rows} final rows; no bulk-load baseline: embedded PostgreSQL takes no COPY over its connection`
        : `  bulk load of the final ${final.rows} rows: ${copySeconds.toFixed(2)} s`,
    );

    await writeOutPendingPages(database.url);
    // The same requests twice: every answer computed (REPORT_CACHE_ENTRIES=0), then with the
    // api keeping answers per read-model state as it does by default.
    log('  queries, every answer computed:');
    const computed = await measureQueries(dir, database.url, devServer.connectionString, history, config, 0);
    log('  queries, answers kept per read-model state (the default):');
    const kept = await measureQueries(dir, database.url, devServer.connectionString, history, config, 1_000);
    const queries = computed.saturated;
    const queriesWithKeptAnswers = kept.saturated;

    // The bulk load again alongside a third raw read, after the queries so as not to load the
    // machine under them: together they do what any rebuild must (read every event, write the
    // final rows) and nothing else, so the longer of the two is the least a rebuild could take
    // on this machine. Each is timed by itself, so starting the read's process does not count.
    const together = final.dumps === null ? null : await readWhileLoading(devServer, database.url, final.dumps);
    const rebuildRate = history.events / rebuild.seconds;
    const copyReport =
      copySeconds === null ? null : { seconds: round(copySeconds), rows: final.rows, eventsPerSecondEquivalent: Math.round(history.events / copySeconds), method: BULK_LOAD_METHOD };
    const readAndCopyReport =
      together === null
        ? null
        : { seconds: round(together.seconds), copySeconds: round(together.copySeconds), readSeconds: round(together.readSeconds), eventsPerSecondEquivalent: Math.round(history.events / together.seconds) };
    const finishedAt = new Date();
    const report = {
      benchmark: 'projections',
      finishedAt: finishedAt.toISOString(),
      machine: machine(),
      config,
      history: { events: history.events, opportunities: config.opportunities, pipelines: history.pipelineIds.length, owners: history.ownerIds.length },
      write: { seconds: round(written.seconds), eventsPerSecond: Math.round(history.events / written.seconds) },
      // Of the round with the median ratio: the quicker of its two reads, and each of them.
      rawRead: {
        seconds: round(rawRead.seconds),
        eventsPerSecond: Math.round(rawRead.eventsPerSecond),
        reads: reads.map((read) => ({
          when: read.when,
          seconds: round(read.seconds),
          eventsPerSecond: Math.round(read.eventsPerSecond),
          cpuSeconds: read.cpuSeconds,
          stolenCpuSeconds: read.stolenCpuSeconds,
        })),
      },
      // cpuSeconds: CPU time the step's own process used (every thread), the event store's and,
      // for the rebuild, the read store's meanwhile (null off Linux, or for a read store on
      // another machine); the step's wall time is bounded by their sum over the machine's cores
      // (coresBusy: that sum over the wall time). walBytes: the WAL the read store's server wrote.
      // stolenCpuSeconds: CPU time the host gave to others during the step (null off Linux).
      // The round with the median ratio.
      rebuild: {
        seconds: round(rebuild.seconds),
        eventsPerSecond: Math.round(rebuildRate),
        servingAfterSeconds: rebuild.perProjection,
        rows: final.rowsByTable,
        cpuSeconds: rebuild.cpuSeconds,
        coresBusy: coresBusy(rebuild),
        walBytes: rebuild.walBytes,
        stolenCpuSeconds: rebuild.stolenCpuSeconds,
      },
      // Every round: its rebuild, the raw reads before and after it, and its ratio.
      rounds: rounds.map(({ round: roundNumber, rebuild: rebuilt, reads: [before, after], ratio }) => ({
        round: roundNumber,
        rebuildSeconds: round(rebuilt.seconds),
        rawReadSeconds: { before: round(before.seconds), after: round(after.seconds) },
        rebuildToRawRead: round(ratio),
        cpuSeconds: rebuilt.cpuSeconds,
        coresBusy: coresBusy(rebuilt),
        walBytes: rebuilt.walBytes,
        stolenCpuSeconds: rebuilt.stolenCpuSeconds,
      })),
      copy: copyReport,
      // The raw read and the bulk load at once: all a rebuild has to do, with no projection work.
      readAndCopy: readAndCopyReport,
      ratios: {
        rebuildToRawRead: round(rebuildRate / rawRead.eventsPerSecond),
        rebuildToEachRawRead: reads.map((read) => round(rebuildRate / read.eventsPerSecond)),
        rebuildToCopy: copySeconds === null ? null : round(copySeconds / rebuild.seconds),
        // What rebuildToRawRead would be for a rebuild that took no longer than reading and
        // loading: the most it can reach on this machine, with these read models.
        readAndCopyToRawRead: together === null ? null : round(rawRead.seconds / together.seconds),
        rebuildToReadAndCopy: together === null ? null : round(together.seconds / rebuild.seconds),
      },
      queries,
      queriesWithKeptAnswers,
      pacedQueries: computed.paced,
      pacedQueriesWithKeptAnswers: kept.paced,
      aims: {
        rebuildToRawRead: 0.5,
        rebuildToRawReadMet: rebuildRate / rawRead.eventsPerSecond >= 0.5,
        p95Ms: 50,
        p95Met: Object.values(queries).every((query) => query.p95Ms < 50),
        p95MetWithKeptAnswers: Object.values(queriesWithKeptAnswers).every((query) => query.p95Ms < 50),
        p95MetPacedWithKeptAnswers: Object.values(kept.paced).every((query) => query.p95Ms < 50),
      },
    };
    const file = await writeReport('projections', report, finishedAt);
    log(
      `rebuild/raw read ${report.ratios.rebuildToRawRead} (read and COPY at once/raw read ${report.ratios.readAndCopyToRawRead}), ` +
        `rebuild/COPY ${report.ratios.rebuildToCopy}, rebuild/read and COPY ${report.ratios.rebuildToReadAndCopy}: ${file}`,
    );
  } finally {
    await store.close();
    if (values['keep-database'] && !database.embedded) log(`kept the last read store for inspection: ${database.url}`);
    else await database.close();
    await devServer.close();
    await rm(dir, { recursive: true, force: true });
  }
}

type HistorySummary = Omit<SalesHistory, 'streams'>;

/** A read store for one rebuild: a database of its own on the server (DATABASE_URL), else an embedded cluster of its own. */
async function freshReadStore(dir: string, round: number): Promise<Database & { close(): Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const database = await freshDatabase(process.env.DATABASE_URL, false, `revops_bench_${process.pid}_${round}`);
    return { ...database, close: () => database.drop() };
  }
  const embedded = await startEmbeddedPostgres({ dataDir: join(dir, `pg-${round}`) });
  return { ...(await freshDatabase(embedded.url, true)), close: () => embedded.stop() };
}

type RawRead = Awaited<ReturnType<typeof timedRawRead>>;
type Rebuild = Awaited<ReturnType<typeof rebuildReadModels>>;

/** One rebuild between two raw reads, and its ratio to the quicker of them. */
interface RebuildRound {
  round: number;
  rebuild: Rebuild;
  reads: [before: RawRead, after: RawRead];
  rawRead: RawRead;
  ratio: number;
}

function rebuildRound(round: number, rebuild: Rebuild, before: RawRead, after: RawRead, events: number): RebuildRound {
  const rawRead = before.eventsPerSecond >= after.eventsPerSecond ? before : after;
  return { round, rebuild, reads: [before, after], rawRead, ratio: events / rebuild.seconds / rawRead.eventsPerSecond };
}

/** The round whose ratio is the median; of an even number, the lower of the two in the middle. */
function medianRound(rounds: readonly RebuildRound[]): RebuildRound {
  if (rounds.length === 0) throw new RangeError('No rounds to take the median of');
  const sorted = [...rounds].sort((a, b) => a.ratio - b.ratio);
  return sorted[Math.ceil(sorted.length / 2) - 1];
}

/**
 * The history's streams appended, in business-time metadata; the rest of the history is
 * returned. As imported: every stream in one append. Interleaved: the events in the order
 * they are recorded (a stream's own order kept, a backdated event recorded when the one
 * before it was), a few hundred at a time, each stream's share of them in one append.
 */
async function writeHistory(
  store: EventStore,
  { streams, ...history }: SalesHistory,
  interleaved: boolean,
): Promise<{ seconds: number; head: Position; history: HistorySummary }> {
  const started = performance.now();
  let head: Position = { commit: 0n, prepare: 0n };
  const append = async (stream: StreamHistory, indexes: readonly number[]) => {
    const correlation = randomUUID();
    const result = await store.append(
      stream.streamName,
      indexes.map((i) => ({
        type: stream.events[i].type,
        data: stream.events[i].data,
        metadata: {
          $correlationId: correlation,
          $causationId: correlation,
          actor: { type: 'user' as const, id: stream.actorId },
          source: 'import',
          occurredAt: stream.occurredAt[i],
        },
      })),
      { expectedRevision: indexes[0] === 0 ? 'no_stream' : BigInt(indexes[0] - 1) },
    );
    if (result.position.commit > head.commit) head = result.position;
  };
  if (!interleaved) {
    await forEachConcurrently(streams, 32, (stream) => append(stream, stream.events.map((_, i) => i)));
    return { seconds: (performance.now() - started) / 1000, head, history };
  }
  const recorded = streams.flatMap((stream) => {
    let latest = '';
    return stream.occurredAt.map((at, index) => {
      if (at > latest) latest = at;
      return { stream, index, recordedAt: latest };
    });
  });
  // A stable sort: a stream's events stay in their order among equal times.
  recorded.sort((a, b) => (a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : 0));
  for (let start = 0; start < recorded.length; start += INTERLEAVED_WINDOW) {
    const byStream = new Map<StreamHistory, number[]>();
    for (const { stream, index } of recorded.slice(start, start + INTERLEAVED_WINDOW)) {
      const indexes = byStream.get(stream) ?? [];
      indexes.push(index);
      byStream.set(stream, indexes);
    }
    await forEachConcurrently([...byStream], 32, ([stream, indexes]) => append(stream, indexes));
  }
  return { seconds: (performance.now() - started) / 1000, head, history };
}

/** Events of an interleaved history appended together, each stream's share in one append. */
const INTERLEAVED_WINDOW = 256;

/**
 * One read of the whole of `$all` through the client, in a fresh process that does nothing
 * else (`raw-read.ts`), logged. On this process's thread, whose heap the generated history
 * went through, the same read took a fifth more CPU.
 */
async function timedRawRead<When extends string>(
  eventStore: EventStoreProcess,
  when: When,
): Promise<{ when: When; events: number; seconds: number; eventsPerSecond: number; cpuSeconds: { reader: number; eventStore: number | null }; stolenCpuSeconds: number | null }> {
  const { result, stolenCpuSeconds, cpuSecondsOf } = await withCpuTimes(
    () => inOwnProcess<{ events: number; seconds: number; cpuSeconds: number }>('raw-read.js', [eventStore.connectionString]),
    eventStore.pid,
  );
  const { events, seconds } = result;
  const cpuSeconds = { reader: result.cpuSeconds, eventStore: cpuSecondsOf };
  log(`  raw read of $all ${when}: ${events} events in ${seconds.toFixed(1)} s (${Math.round(events / seconds)}/s)${cpuUsed('reader', result.cpuSeconds, cpuSecondsOf)}${stolen(stolenCpuSeconds)}`);
  return { when, events, seconds, eventsPerSecond: events / seconds, cpuSeconds, stolenCpuSeconds };
}

/** What a step's process (`own` seconds) and the event store used, for its log line. */
function cpuUsed(process: string, own: number, eventStore: number | null, readStore: number | null = null): string {
  return `; CPU: ${process} ${own.toFixed(1)} s${eventStore === null ? '' : `, the event store ${eventStore.toFixed(1)} s`}${readStore === null ? '' : `, the read store ${readStore.toFixed(1)} s`}`;
}

/** The write-ahead log a step made the read store's server write, for its log line. */
function wal(bytes: number | null): string {
  return bytes === null ? '' : `; WAL ${Math.round(bytes / 1_048_576)} MB`;
}

/**
 * How many of the machine's cores a rebuild kept busy on average: the CPU time of the projector,
 * the event store and the read store over its wall time; null when one of them is not known
 * (a read store on another machine). Near the number of cores, the rebuild waits on the
 * machine, not on any one of its parts.
 */
function coresBusy(rebuild: Rebuild): number | null {
  const { projector, eventStore, readStore } = rebuild.cpuSeconds;
  return eventStore === null || readStore === null ? null : round((projector + eventStore + readStore) / rebuild.seconds);
}

/** How much CPU the host took while a step ran, for its log line. */
function stolen(seconds: number | null): string {
  return seconds === null ? '' : `; the host took ${seconds.toFixed(1)} s of CPU meanwhile`;
}

/** The rebuild (`rebuild.ts`) in a fresh process, as the projector runs it in production. */
async function rebuildReadModels(
  eventStore: EventStoreProcess,
  database: Database,
  head: Position,
  runner: Pick<RunnerSettings, 'catchUpBatchSize' | 'shareCatchUp'>,
): Promise<
  Omit<RebuildResult, 'cpuSeconds'> & { cpuSeconds: { projector: number; eventStore: number | null; readStore: number | null }; walBytes: number | null; stolenCpuSeconds: number | null }
> {
  const request: RebuildRequest = {
    eventStoreUrl: eventStore.connectionString,
    databaseUrl: database.url,
    embedded: database.embedded,
    head: { commit: head.commit.toString(), prepare: head.prepare.toString() },
    runner,
  };
  const {
    result: { result, stolenCpuSeconds, cpuSecondsOf },
    readStore,
  } = await withReadStoreUsage(database, () => withCpuTimes(() => inOwnProcess<RebuildResult>('rebuild.js', [JSON.stringify(request)]), eventStore.pid));
  return {
    ...result,
    perProjection: Object.fromEntries(Object.entries(result.perProjection).map(([name, seconds]) => [name, round(seconds)])),
    cpuSeconds: { projector: result.cpuSeconds, eventStore: cpuSecondsOf, readStore: readStore.cpuSeconds },
    walBytes: readStore.walBytes,
    stolenCpuSeconds,
  };
}

/**
 * What `step` cost the read store. `cpuSeconds`: the CPU time of a PostgreSQL server on this
 * machine (its postmaster's processes, found from the backend of a connection to it; null for a
 * server elsewhere), or of this process for embedded PostgreSQL, which serves from here and
 * does nothing else meanwhile. `walBytes`: the write-ahead log the server wrote meanwhile, all
 * of its databases' (what a standby receives and an archive keeps); null for embedded
 * PostgreSQL, which has neither.
 */
async function withReadStoreUsage<T>(database: Database, step: () => Promise<T>): Promise<{ result: T; readStore: { cpuSeconds: number | null; walBytes: number | null } }> {
  if (database.embedded) {
    const start = process.cpuUsage();
    const result = await step();
    return { result, readStore: { cpuSeconds: cpuSecondsSince(start), walBytes: null } };
  }
  const server = await withClient(database.url, async (client) => {
    const { rows } = await client.query<{ backend: number; local: boolean; wal: string }>(
      `SELECT pg_backend_pid() AS backend, coalesce(host(inet_server_addr()) IN ('127.0.0.1', '::1'), true) AS local, pg_current_wal_lsn()::text AS wal`,
    );
    const { backend, local, wal } = rows[0];
    return { postmaster: local ? postmasterOf(backend) : null, wal };
  });
  const serverCpu = () => (server.postmaster === null ? null : processTreeCpuSeconds(server.postmaster));
  const cpuBefore = serverCpu();
  const result = await step();
  const cpuAfter = serverCpu();
  const walBytes = await withClient(database.url, async (client) => {
    const { rows } = await client.query<{ bytes: string }>('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::text AS bytes', [server.wal]);
    return Number(rows[0].bytes);
  });
  return { result, readStore: { cpuSeconds: elapsed(cpuBefore, cpuAfter), walBytes } };
}

/** The postmaster whose backend `backend` is, where that backend is a PostgreSQL process on this machine. */
function postmasterOf(backend: number): number | null {
  try {
    if (readFileSync(`/proc/${backend}/comm`, 'utf8').trim() !== 'postgres') return null;
  } catch {
    return null;
  }
  return parentPid(backend);
}

/**
 * One of this benchmark's built entry points (beside this file in `dist/`) run to its end in a
 * fresh process: the baseline and the rebuild each start from a clean heap, as the processes
 * they stand for do, and with node's flags as the projector runs. Answers the one line of JSON it prints.
 */
async function inOwnProcess<T>(entry: string, args: readonly string[]): Promise<T> {
  const { stdout } = await runFile(process.execPath, [...PROJECTOR_NODE_FLAGS, ...builtEntryArguments(join('bench', 'projections', entry), args)], {
    cwd: ROOT,
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout) as T;
}

/** Node's arguments for a built entry point (a path under `dist/`), the path aliases registered. */
function builtEntryArguments(entry: string, args: readonly string[]): string[] {
  return ['-r', join(ROOT, 'tools', 'register-aliases.js'), join(ROOT, 'dist', entry), ...args];
}

/** A raw read and a bulk load at once, each timed by itself; `seconds` is the longer. */
async function readWhileLoading(
  eventStore: EventStoreProcess,
  databaseUrl: string,
  dumps: readonly TableDump[],
): Promise<{ seconds: number; copySeconds: number; readSeconds: number }> {
  const [copySeconds, read] = await Promise.all([bulkLoad(databaseUrl, dumps), timedRawRead(eventStore, 'alongside the bulk load')]);
  log(`  bulk load of the final rows alongside that read: ${copySeconds.toFixed(2)} s`);
  return { seconds: Math.max(copySeconds, read.seconds), copySeconds, readSeconds: read.seconds };
}

/**
 * A checkpoint before the queries are measured: otherwise the server writes out what the
 * rebuild and the bulk load left in its buffers under them, spread over the next minutes, and
 * their latency depends on what ran before. Skipped, with the reason logged, for a role that
 * may not ask for one.
 */
async function writeOutPendingPages(url: string): Promise<void> {
  await withClient(url, (client) => client.query('CHECKPOINT')).catch((error: unknown) =>
    log(`  no checkpoint before the queries: ${error instanceof Error ? error.message : String(error)}`),
  );
}

/** One rebuilt table's rows as COPY TO wrote them in the binary format, and where a bulk load puts them. */
interface TableDump {
  readonly source: string;
  readonly target: string;
  readonly chunks: readonly Buffer[];
}

/**
 * The rebuilt rows counted per table and, with `dump`, read out with COPY TO for the bulk-load
 * baselines (`dumps`; null without it).
 */
async function finalRows(
  url: string,
  schemas: readonly string[],
  { dump }: { dump: boolean },
): Promise<{ dumps: TableDump[] | null; rows: number; rowsByTable: Record<string, number> }> {
  return withClient(url, async (client) => {
    const tables = (
      await client.query<{ schema: string; table: string }>(
        `SELECT table_schema AS schema, table_name AS table FROM information_schema.tables WHERE table_schema = ANY($1) ORDER BY 1, 2`,
        [schemas],
      )
    ).rows;
    const dumps: TableDump[] = [];
    const rowsByTable: Record<string, number> = {};
    for (const { schema, table } of tables) {
      const source = `"${schema}"."${table}"`;
      if (dump) {
        const chunks: Buffer[] = [];
        for await (const chunk of client.query(copyTo(`COPY ${source} TO STDOUT (FORMAT binary)`))) chunks.push(chunk as Buffer);
        dumps.push({ source, target: `bench_copy."${schema}_${table}"`, chunks });
      }
      rowsByTable[`${schema}.${table}`] = Number((await client.query(`SELECT count(*) AS n FROM ${source}`)).rows[0].n);
    }
    return { dumps: dump ? dumps : null, rows: Object.values(rowsByTable).reduce((sum, rows) => sum + rows, 0), rowsByTable };
  });
}

/**
 * The bulk-load baseline, loaded as a bulk loader does it: the dumps copied with COPY FROM into
 * bare tables of the same columns and checks, then every index of the rebuilt tables (keys
 * included) built from the loaded rows, then the tables vacuumed and analysed as a rebuild
 * leaves them to serve; at each step as many tables or indexes at a time as a rebuild's finish
 * runs. Keeping every index up to date row by row instead took nearly twice as long at
 * 106,000 deals (30 to 40 s against 16 to 22 s). The tables are made (and dropped afterwards)
 * outside the time it answers.
 */
async function bulkLoad(url: string, dumps: readonly TableDump[]): Promise<number> {
  const pool = new Pool({ connectionString: url, max: LOAD_PARALLELISM });
  try {
    await pool.query('DROP SCHEMA IF EXISTS bench_copy CASCADE; CREATE SCHEMA bench_copy');
    try {
      for (const { source, target } of dumps) await pool.query(`CREATE TABLE ${target} (LIKE ${source} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
      const indexes = await indexesOf(pool, dumps);
      // Every connection open before the clock starts.
      const clients = await Promise.all(Array.from({ length: LOAD_PARALLELISM }, () => pool.connect()));
      for (const client of clients) client.release();
      const started = performance.now();
      await forEachConcurrently(dumps, LOAD_PARALLELISM, (dump) => onClient(pool, (client) => streamPipeline(Readable.from(dump.chunks), client.query(copyFrom(`COPY ${dump.target} FROM STDIN (FORMAT binary)`)))));
      await forEachConcurrently(indexes, LOAD_PARALLELISM, async (statement) => {
        await pool.query(statement);
      });
      await forEachConcurrently(dumps, LOAD_PARALLELISM, async ({ target }) => {
        await pool.query(`VACUUM (ANALYZE) ${target}`);
      });
      return (performance.now() - started) / 1000;
    } finally {
      await pool.query('DROP SCHEMA bench_copy CASCADE');
    }
  } finally {
    await pool.end();
  }
}

const LOAD_PARALLELISM = DEFAULT_RUNNER_SETTINGS.finishParallelism;

/** How `bulkLoad` loads, as the report states it: results written before it kept every index up to date during the COPY. */
const BULK_LOAD_METHOD = `COPY (binary) into bare tables, then keys and indexes built, then VACUUM (ANALYZE); ${LOAD_PARALLELISM} at a time`;

/**
 * The CREATE statements of every index of the dumped tables (keys as unique indexes), on their
 * bulk-load tables, those of the largest tables first, so that the last to finish is a small one.
 */
async function indexesOf(pool: Pool, dumps: readonly TableDump[]): Promise<string[]> {
  const bySize = dumps
    .map((dump) => ({ ...dump, bytes: dump.chunks.reduce((sum, chunk) => sum + chunk.length, 0) }))
    .sort((a, b) => b.bytes - a.bytes);
  const statements: string[] = [];
  for (const { source, target } of bySize) {
    const { rows } = await pool.query<{ definition: string }>(`SELECT pg_get_indexdef(indexrelid) AS definition FROM pg_index WHERE indrelid = $1::regclass ORDER BY indexrelid`, [source]);
    for (const { definition } of rows) statements.push(definition.replace(/ ON (ONLY )?\S+ USING /, ` ON ${target} USING `));
  }
  return statements;
}

async function onClient<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    return await work(client);
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // A connection a statement failed on is closed rather than handed out again.
    client.release(failure);
  }
}

interface QueryLatency {
  requests: number;
  errors: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  requestsPerSecond: number;
}

/**
 * GraphQL over HTTP to an api on the rebuilt read models (it runs no projections itself), in
 * a process of its own as in production: the load clients do not share its event loop.
 */
async function measureQueries(
  dir: string,
  databaseUrl: string,
  eventStoreUrl: string,
  history: HistorySummary,
  config: { clients: number; requestsPerQuery: number; seed: number; pauseMs: number },
  reportCacheEntries: number,
): Promise<{ saturated: Record<string, QueryLatency>; paced: Record<string, QueryLatency> }> {
  const api = await startApiProcess({
    DATA_DIR: join(dir, 'api'),
    DATABASE_URL: databaseUrl,
    EVENTSTORE_URL: eventStoreUrl,
    RUN_PROJECTIONS: 'false',
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    REPORT_CACHE_ENTRIES: String(reportCacheEntries),
  });
  const random = new SeededRandom(config.seed);
  const statuses = [['OPEN'], ['WON'], ['OPEN', 'WON', 'LOST']];
  const quarter = () => {
    const start = Date.parse(history.from) + random.int(0, 7) * 91 * 86_400_000;
    return { from: new Date(start).toISOString(), to: new Date(start + 91 * 86_400_000).toISOString() };
  };
  const requests: Record<string, () => { query: string; variables: Record<string, unknown> }> = {
    opportunities: () => ({
      query: `query ($filter: OpportunityFilterInput) { opportunities(filter: $filter, first: 50) {
        totalCount edges { cursor node { id name stageId status amount { amountMinor currency } expectedCloseDate openedAt } } pageInfo { hasNextPage } } }`,
      variables: { filter: { pipelineId: random.pick(history.pipelineIds), ownerId: random.pick(history.ownerIds), status: random.pick(statuses) } },
    }),
    pipeline: () => ({
      query: `query ($pipelineId: ID!, $asOf: String) { pipeline(pipelineId: $pipelineId, asOf: $asOf) {
        stages { stageId count amounts { currency amountMinor weightedAmountMinor } } totals { count } } }`,
      // Half today's pipeline, half as of a past instant (answered from history).
      variables: { pipelineId: random.pick(history.pipelineIds), asOf: random.chance(0.5) ? quarter().to : null },
    }),
    salesMetrics: () => ({
      query: `query ($from: String!, $to: String!, $pipelineId: String) { salesMetrics(from: $from, to: $to, pipelineId: $pipelineId) {
        won lost winRate salesCycle { meanDays medianDays } averageDealSize { currency averageDealSizeMinor } velocity { currency minorPerDay } } }`,
      variables: { ...quarter(), pipelineId: random.pick(history.pipelineIds) },
    }),
    // Every figure, stage conversion (read from the cohort's stays) and weighted pipeline too.
    salesMetricsEveryFigure: () => ({
      query: `query ($from: String!, $to: String!, $pipelineId: String) { salesMetrics(from: $from, to: $to, pipelineId: $pipelineId) {
        won lost winRate openCount salesCycle { wonCount meanDays medianDays } averageDealSize { currency wonCount averageDealSizeMinor }
        velocity { currency minorPerDay } weightedPipeline { currency amountMinor weightedAmountMinor }
        stageConversion { pipelineId cohortCount stages { stageId reached } steps { fromStageId toStageId rate } } } }`,
      variables: { ...quarter(), pipelineId: random.pick(history.pipelineIds) },
    }),
  };
  const pauses = new SeededRandom(config.seed + 1);
  const paced = () => pauses.int(Math.round(config.pauseMs / 2), Math.round((config.pauseMs * 3) / 2));
  try {
    const saturated: Record<string, QueryLatency> = {};
    const pacedResults: Record<string, QueryLatency> = {};
    for (const [name, next] of Object.entries(requests)) {
      await load(api.url, next, config.clients, Math.min(200, config.requestsPerQuery), () => 0);
      saturated[name] = await load(api.url, next, config.clients, config.requestsPerQuery, () => 0);
      logLatency(`${name}, back to back`, saturated[name]);
      pacedResults[name] = await load(api.url, next, config.clients, config.requestsPerQuery, paced);
      logLatency(`${name}, paced`, pacedResults[name]);
    }
    return { saturated, paced: pacedResults };
  } finally {
    await api.close();
  }
}

/** The event-store dev server in its process: where to reach it, and the process whose CPU time is counted. */
interface EventStoreProcess {
  connectionString: string;
  pid: number;
}

/**
 * The event-store dev server, built (`dist/`), as a process of its own: in production the event
 * store is a server of its own, so neither the raw read nor the rebuild shares its event loop.
 * It is ready once it logs that it listens.
 */
function startEventStoreProcess(dataDir: string): Promise<EventStoreProcess & { close(): Promise<void> }> {
  return startBuiltProcess(join('apps', 'eventstore-dev', 'src', 'main.js'), { args: ['--data', dataDir, '--port', '0'], stdout: 'pipe' }, (child, exited) =>
    new Promise<EventStoreProcess>((resolve, reject) => {
      void exited.then((code) => reject(new Error(`The event-store dev server exited with ${code} before it listened`)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const entry = line.startsWith('{') ? (JSON.parse(line) as { msg?: string; connectionString?: string }) : {};
        if (entry.msg === 'listening' && entry.connectionString) resolve({ connectionString: entry.connectionString, pid: child.pid! });
      });
    }),
  );
}

/** The built api (`dist/`, which `npm run bench:projections` builds first) on a free port, ready once it answers /health. */
async function startApiProcess(env: Record<string, string>): Promise<{ url: string; close(): Promise<void> }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  return startBuiltProcess(join('apps', 'api', 'src', 'main.js'), { env: { ...env, PORT: String(port) }, stdout: 'inherit' }, async (child) => {
    for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
      const healthy = await fetch(`${url}/health`).then((response) => response.ok, () => false);
      if (healthy) return { url };
      if (child.exitCode !== null) throw new Error(`The api exited with ${child.exitCode} before it answered /health`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error('The api did not answer /health within 120 s');
  });
}

/**
 * A built entry point under `dist/` in a child process, handed to `ready` until it can be
 * used; stopped with SIGTERM by `close()`, or at once when it never became ready.
 */
async function startBuiltProcess<T>(
  entry: string,
  options: { args?: string[]; env?: Record<string, string>; stdout: 'pipe' | 'inherit' },
  ready: (child: ChildProcess, exited: Promise<number | null>) => Promise<T>,
): Promise<T & { close(): Promise<void> }> {
  const child = spawn(process.execPath, builtEntryArguments(entry, options.args ?? []), {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', options.stdout, 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    return { ...(await ready(child, exited)), close };
  } catch (error) {
    await close();
    throw error;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function logLatency(what: string, latency: QueryLatency): void {
  log(`    ${what}: p50 ${latency.p50Ms} ms, p95 ${latency.p95Ms} ms, p99 ${latency.p99Ms} ms (${latency.requestsPerSecond}/s, ${latency.errors} errors)`);
}

/**
 * `requests` requests from `clients` concurrent clients, each sending its next `pause()` ms
 * after its answer: 0 keeps the api saturated, a pause of about a second is a person at a
 * dashboard.
 */
async function load(
  url: string,
  next: () => { query: string; variables: Record<string, unknown> },
  clients: number,
  requests: number,
  pause: () => number,
): Promise<QueryLatency> {
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      // Paced clients start spread over one pause, not all at once.
      const offset = pause();
      if (offset > 0) await new Promise((resolve) => setTimeout(resolve, offset));
      while (sent < requests) {
        sent++;
        const body = JSON.stringify(next());
        const t0 = performance.now();
        // A failed request counts with the time it took: an overloaded api is slow, not absent.
        const failure = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(
          async (response) => {
            const answer = (await response.json()) as { errors?: unknown[] };
            return response.status === 200 && !answer.errors ? null : `${response.status} ${JSON.stringify(answer.errors ?? answer)}`;
          },
          (error: unknown) => String(error),
        );
        latencies.push(performance.now() - t0);
        if (failure !== null && errors++ === 0) log(`    first error: ${failure.slice(0, 400)}`);
        const wait = pause();
        if (wait > 0 && sent < requests) await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const [p50, p95, p99] = percentiles(latencies, [0.5, 0.95, 0.99]);
  return { requests: latencies.length, errors, p50Ms: round(p50), p95Ms: round(p95), p99Ms: round(p99), requestsPerSecond: Math.round(latencies.length / seconds) };
}

function round(value: number): number {
  return Number(value.toFixed(3));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
