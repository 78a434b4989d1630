import { mkdir, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
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

/** Runs `step` and answers its result with the steal time (`stolenCpuSeconds`) during it, rounded to 0.01 s. */
export async function withStolenTime<T>(step: () => Promise<T>): Promise<{ result: T; stolenCpuSeconds: number | null }> {
  const before = stolenCpuSeconds();
  const result = await step();
  const after = stolenCpuSeconds();
  return { result, stolenCpuSeconds: before === null || after === null ? null : Math.round((after - before) * 100) / 100 };
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
