import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const repositoryRoot = join(__dirname, '..', '..');

/** Runs a TypeScript entry of this repository in a process of its own, compiled on the fly by tsx. */
export function spawnTypeScript(entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--require', 'tsx/cjs', entry], {
    cwd: repositoryRoot,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** The child's first stdout line that matches; rejects when it exits or stays silent for `timeoutMs`. */
export async function firstLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  const errors: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
  const failed = (why: string) => new Error(`${why} before printing /${pattern.source}/; stderr: ${errors.join('')}`);
  const controller = new AbortController();
  const matching = (async () => {
    for await (const line of createInterface({ input: child.stdout! })) if (pattern.test(line)) return line;
    throw failed('The process closed its output');
  })();
  const exited = once(child, 'exit', { signal: controller.signal }).then(([code]) => {
    throw failed(`The process exited with ${code}`);
  });
  const timedOut = new Promise<never>((_, reject) => {
    const timer = setTimeout(() => reject(failed(`${timeoutMs} ms passed`)), timeoutMs);
    controller.signal.addEventListener('abort', () => clearTimeout(timer));
  });
  try {
    return await Promise.race([matching, exited, timedOut]);
  } finally {
    controller.abort();
    exited.catch(() => undefined);
  }
}

/** Ends a child with `signal` and resolves once it is gone. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}
