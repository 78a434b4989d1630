import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runCli } from './cli';

const HAND_CHECK = 'path;total_conversions;total_conversion_value;total_null\nc1 > c2 > c3;1;10;0\nc1;0;0;1\nc2 > c3;0;0;1\n';
const EXPECTED = {
  model: 'MARKOV',
  rows: [
    { key: 'c2', conversions: 0.4, value: 4, removalEffect: 1 },
    { key: 'c3', conversions: 0.4, value: 4, removalEffect: 1 },
    { key: 'c1', conversions: 0.2, value: 2, removalEffect: 0.5 },
  ],
};

describe('revops attribution, end to end', () => {
  let dir: string;
  let pathsFile: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'revops-cli-'));
    pathsFile = join(dir, 'paths.csv');
    await writeFile(pathsFile, HAND_CHECK);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a paths file from disk and prints the MARKOV hand check as JSON', async () => {
    const result = await runCli(['attribution', '--paths', pathsFile, '--model', 'markov'], (path) => readFile(path, 'utf8'));

    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(EXPECTED);
  });

  describe('as a process', () => {
    // tsx runs main.ts with the tsconfig path aliases, without building the whole tree.
    const revops = (...args: string[]) =>
      promisify(execFile)(process.execPath, [require.resolve('tsx/cli'), '--tsconfig', 'tsconfig.json', 'apps/cli/src/main.ts', ...args], { cwd: join(__dirname, '../../..') });

    it('prints nothing but the result on stdout', async () => {
      const { stdout, stderr } = await revops('attribution', '--paths', pathsFile, '--model', 'markov');

      expect(JSON.parse(stdout)).toEqual(EXPECTED);
      expect(stderr).toBe('');
    });

    it('ends with exit code 2 and the rule on stderr for a bad flag', async () => {
      await expect(revops('attribution', '--paths', pathsFile, '--model', 'markov', '--order', '9')).rejects.toMatchObject({
        code: 2,
        stdout: '',
        stderr: expect.stringMatching(/^--order must be 1, 2 or 3 \(got "9"\)\n/),
      });
    });
  });
});
