import { attributionCommand, formatAttribution } from './attribution-command';
import { runCli } from './cli';

const HEADER = 'path;total_conversions;total_conversion_value;total_null';
const files: Record<string, string> = {
  'hand-check.csv': `${HEADER}\nc1 > c2 > c3;1;10;0\nc1;0;0;1\nc2 > c3;0;0;1\n`,
  'pooled.csv': `${HEADER}\na > b;1;0;0\nc > b;0;0;1\n`,
  'broken.csv': `${HEADER}\na > b;1;0;0\nc > b;one;0;1\n`,
};

const readText = async (path: string) => {
  const text = files[path];
  if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
  return text;
};

const run = (...args: string[]) => attributionCommand(args, readText);
const json = async (...args: string[]) => {
  const result = await run(...args);
  expect(result).toMatchObject({ exitCode: 0, stderr: '' });
  return JSON.parse(result.stdout) as { model: string; rows: Record<string, unknown>[] };
};

describe('revops attribution', () => {
  it('prints the MARKOV hand check as JSON with removal effects', async () => {
    expect(await json('--paths', 'hand-check.csv', '--model', 'markov')).toEqual({
      model: 'MARKOV',
      rows: [
        { key: 'c2', conversions: 0.4, value: 4, removalEffect: 1 },
        { key: 'c3', conversions: 0.4, value: 4, removalEffect: 1 },
        { key: 'c1', conversions: 0.2, value: 2, removalEffect: 0.5 },
      ],
    });
  });

  it('prints a row for every value of the file, without removal effects for the other models', async () => {
    expect(await json('--paths', 'hand-check.csv', '--model', 'first')).toEqual({
      model: 'FIRST_TOUCH',
      rows: [
        { key: 'c1', conversions: 1, value: 10 },
        { key: 'c2', conversions: 0, value: 0 },
        { key: 'c3', conversions: 0, value: 0 },
      ],
    });
  });

  it('takes the engine spelling of a model name too', async () => {
    expect((await json('--paths', 'hand-check.csv', '--model', 'INVERSE_J')).model).toBe('INVERSE_J');
  });

  it('passes --order and --no-nulls to MARKOV', async () => {
    const conversions = async (...flags: string[]) => (await json('--paths', 'pooled.csv', '--model', 'markov', ...flags)).rows.map(({ key, conversions }) => [key, conversions]);

    expect(await conversions()).toEqual([['b', 0.5], ['a', 0.25], ['c', 0.25]]);
    expect(await conversions('--order', '2')).toEqual([['a', 0.5], ['b', 0.5], ['c', 0]]);
    expect(await conversions('--no-nulls')).toEqual([['a', 0.5], ['b', 0.5], ['c', 0]]);
  });

  it('prints CSV with a header, removal_effect for MARKOV only', async () => {
    expect((await run('--paths', 'hand-check.csv', '--model', 'markov', '--format', 'csv')).stdout).toBe('key,conversions,value,removal_effect\nc2,0.4,4,1\nc3,0.4,4,1\nc1,0.2,2,0.5\n');
    expect((await run('--paths', 'hand-check.csv', '--model', 'last', '--format=csv')).stdout).toBe('key,conversions,value\nc3,1,10\nc1,0,0\nc2,0,0\n');
  });

  it('quotes a CSV key that holds a comma or a quote', () => {
    const csv = formatAttribution({ model: 'LINEAR', totalConversions: 1, totalValue: 0, rows: [{ key: 'Spring, "EU"', conversions: 1, value: 0 }] }, 'csv');

    expect(csv).toBe('key,conversions,value\n"Spring, ""EU""",1,0\n');
  });

  it.each([
    [[], '--paths is required: the paths file to read'],
    [['--paths', 'hand-check.csv'], '--model is required: first, last, linear, position, j, inverse-j, markov or shapley'],
    [['--paths', 'hand-check.csv', '--model', 'magic'], '--model "magic" is not a model: use first, last, linear, position, j, inverse-j, markov or shapley'],
    [['--paths', 'hand-check.csv', '--model', 'constructor'], '--model "constructor" is not a model: use first, last, linear, position, j, inverse-j, markov or shapley'],
    [['--paths', 'hand-check.csv', '--model', 'markov', '--order', '4'], '--order must be 1, 2 or 3 (got "4")'],
    [['--paths', 'hand-check.csv', '--model', 'linear', '--order', '2'], '--order applies to --model markov only'],
    [['--paths', 'hand-check.csv', '--model', 'shapley', '--no-nulls'], '--no-nulls applies to --model markov only'],
    [['--paths', 'hand-check.csv', '--model', 'markov', '--no-nulls=yes'], '--no-nulls takes no value'],
    [['--paths', 'hand-check.csv', '--model', 'first', '--format', 'xml'], '--format must be json or csv (got "xml")'],
    [['--paths', '--model', 'first'], '--paths needs a value'],
    [['--paths', 'hand-check.csv', '--model', 'first', '--seed', '1'], '--seed is not a flag of attribution'],
    [['hand-check.csv', '--model', 'first'], 'unexpected argument "hand-check.csv": every input is given by a flag'],
  ])('refuses %j with exit code 2, naming the flag and the rule', async (args, message) => {
    const result = await run(...args);

    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe(message);
  });

  it('refuses a model that needs what path rows lack with exit code 2, saying why', async () => {
    const result = await run('--paths', 'hand-check.csv', '--model', 'time-decay');

    expect(result).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: '--model: model TIME_DECAY cannot run on path rows: it needs the time of each touch and of the conversion, which path rows do not carry\n',
    });
  });

  it('ends with exit code 1 when the file cannot be read', async () => {
    expect(await run('--paths', 'missing.csv', '--model', 'first')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: "cannot read --paths missing.csv: ENOENT: no such file or directory, open 'missing.csv'\n",
    });
  });

  it('ends with exit code 1 when the file is not a paths file, naming line and column', async () => {
    expect(await run('--paths', 'broken.csv', '--model', 'first')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'broken.csv: line 3, column total_conversions: must be a number of 0 or more such as 12 or 3.5 (found "one")\n',
    });
  });

  it('prints its usage on --help', async () => {
    const result = await run('--help');

    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    expect(result.stdout).toMatch(/^Usage: npm run -s revops -- attribution --paths <file> --model <model>/);
  });
});

describe('revops', () => {
  it('runs the attribution command', async () => {
    expect((await runCli(['attribution', '--paths', 'hand-check.csv', '--model', 'shapley'], readText)).exitCode).toBe(0);
  });

  it.each([
    [[], 'a command is required'],
    [['replay'], '"replay" is not a command'],
  ])('refuses %j with exit code 2', async (argv, message) => {
    const result = await runCli(argv, readText);

    expect(result.exitCode).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(message);
  });
});
