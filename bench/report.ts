import { mkdir, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

/** What every benchmark report says about where it ran. */
export function machine() {
  return { node: process.version, platform: process.platform, arch: process.arch, cpus: cpus().length, cpuModel: cpus()[0]?.model };
}

/**
 * CPU time the machine's host gave to others while this virtual machine wanted it (steal time,
 * summed over its CPUs), in seconds since boot; null where /proc/stat does not say. The
 * difference over a timed step says how much of the step's CPU the host took.
 */
export function stolenCpuSeconds(): number | null {
  try {
    // cpu  user nice system idle iowait irq softirq steal …, in ticks of 1/100 s.
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/);
    const steal = Number(fields[8]);
    return fields[0] === 'cpu' && Number.isFinite(steal) ? steal / 100 : null;
  } catch {
    return null;
  }
}

/**
 * CPU time (user and system, every thread) process `pid` has used, in seconds; null where
 * /proc does not say.
 */
export function processCpuSeconds(pid: number): number | null {
  const fields = statFields(pid);
  if (fields === null) return null;
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks / 100 : null;
}

/**
 * CPU time process `pid` and its children have used, in seconds: its own, that of the
 * children it has waited for once they ended, and that of those still running (a PostgreSQL
 * server's postmaster, its backends and workers). Null where /proc does not say.
 */
export function processTreeCpuSeconds(pid: number): number | null {
  const own = statFields(pid);
  if (own === null) return null;
  // utime stime cutime cstime.
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const child = statFields(Number(entry));
    if (child !== null && Number(child[1]) === pid) ticks += Number(child[11]) + Number(child[12]);
  }
  return Number.isFinite(ticks) ? ticks / 100 : null;
}

/** The parent of process `pid`, or null where /proc does not say. */
export function parentPid(pid: number): number | null {
  const fields = statFields(pid);
  return fields === null ? null : Number(fields[1]);
}

/** The fields of /proc/<pid>/stat after the command's name (the state first), or null. */
function statFields(pid: number): string[] | null {
  try {
    // pid (comm) state ppid … utime stime cutime cstime: the command's name may hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** This process's CPU time (user and system, every thread) since `start`, in seconds, to 0.01 s. */
export function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return Math.round((user + system) / 10_000) / 100;
}

/**
 * Runs `step` and answers its result with the CPU time the host took during it
 * (`stolenCpuSeconds`) and the CPU time process `pid` used meanwhile (`cpuSecondsOf`, null
 * without a pid), each rounded to 0.01 s.
 */
export async function withCpuTimes<T>(
  step: () => Promise<T>,
  pid?: number,
): Promise<{ result: T; stolenCpuSeconds: number | null; cpuSecondsOf: number | null }> {
  const usedBy = () => (pid === undefined ? null : processCpuSeconds(pid));
  const [stolenBefore, usedBefore] = [stolenCpuSeconds(), usedBy()];
  const result = await step();
  return { result, stolenCpuSeconds: elapsed(stolenBefore, stolenCpuSeconds()), cpuSecondsOf: elapsed(usedBefore, usedBy()) };
}

/** CPU seconds between two readings, to 0.01 s; null when either is unknown. */
export function elapsed(before: number | null, after: number | null): number | null {
  return before === null || after === null ? null : Math.round((after - before) * 100) / 100;
}

/**
 * Writes a benchmark's report to bench/results as `<name>-latest.json` and a timestamped
 * copy, and answers the copy's path.
 */
export async function writeReport(name: string, report: object, finishedAt = new Date()): Promise<string> {
  const resultsDir = join(process.cwd(), 'bench', 'results');
  await mkdir(resultsDir, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const stamp = finishedAt.toISOString().replace(/[:.]/g, '-');
  const file = join('bench', 'results', `${name}-${stamp}.json`);
  await writeFile(join(process.cwd(), file), json);
  await writeFile(join(resultsDir, `${name}-latest.json`), json);
  return file;
}

/** Nearest-rank percentiles (q in 0..1) of a list of durations, in the list's unit. */
export function percentiles(values: readonly number[], quantiles: readonly number[]): number[] {
  if (values.length === 0) return quantiles.map(() => Number.NaN);
  const sorted = [...values].sort((a, b) => a - b);
  return quantiles.map((q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]);
}

export function positiveInteger(value: string, flag: string, usage: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new Error(`${flag} must be a positive integer (got "${value}")\n\n${usage}`);
  return Number(value);
}

export const log = (line: string) => process.stderr.write(`${line}\n`);
