import { parseArgs } from 'node:util';
import { AttributionError, attributePaths, parsePathsFile, type PathAttribution, type PathModel, type PathModelName, type RuleBasedModelName } from '@revops/attribution';

/** What a command prints and how it ends: 0 done, 1 the input could not be read or used, 2 bad flags. */
export interface CommandResult {
  readonly exitCode: 0 | 1 | 2;
  readonly stdout: string;
  readonly stderr: string;
}

export type ReadText = (path: string) => Promise<string>;

export const ATTRIBUTION_USAGE = `Usage: npm run -s revops -- attribution --paths <file> --model <model> [--order 1|2|3] [--no-nulls] [--format json|csv]

Attributes the conversions and value of a paths file (header
path;total_conversions;total_conversion_value;total_null, values separated by " > ")
to the values on its paths, and prints one row per value.

  --paths <file>    the paths file to read
  --model <model>   first, last, linear, position, j, inverse-j, markov or shapley
  --order <k>       markov only: values per state, 1 (default), 2 or 3
  --no-nulls        markov only: learn from converting paths alone
  --format <f>      json (default) or csv

Exit codes: 0 done, 1 the file could not be read or is not a paths file, 2 bad flags.`;

const MODEL_FLAGS: Readonly<Record<string, PathModelName | RuleBasedModelName>> = {
  first: 'FIRST_TOUCH',
  'first-touch': 'FIRST_TOUCH',
  last: 'LAST_TOUCH',
  'last-touch': 'LAST_TOUCH',
  linear: 'LINEAR',
  position: 'POSITION_BASED',
  'position-based': 'POSITION_BASED',
  j: 'J_SHAPED',
  'j-shaped': 'J_SHAPED',
  'inverse-j': 'INVERSE_J',
  markov: 'MARKOV',
  shapley: 'SHAPLEY',
  // Known models that need what path rows lack: the engine says why they cannot run.
  'last-non-direct': 'LAST_NON_DIRECT',
  'time-decay': 'TIME_DECAY',
  'u-shaped': 'U_SHAPED',
  'w-shaped': 'W_SHAPED',
  'full-path': 'FULL_PATH',
  custom: 'CUSTOM',
};

const PATH_MODEL_FLAGS = 'first, last, linear, position, j, inverse-j, markov or shapley';

const OPTIONS = {
  paths: { type: 'string' },
  model: { type: 'string' },
  order: { type: 'string' },
  'no-nulls': { type: 'boolean' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Format = 'json' | 'csv';

interface AttributionFlags {
  readonly paths: string;
  readonly model: PathModel;
  readonly format: Format;
}

/** A flag that breaks a rule: printed with the usage, exit code 2. */
class UsageError extends Error {}

/** `attribution --paths … --model …` from its arguments to what it prints. */
export async function attributionCommand(args: readonly string[], readText: ReadText): Promise<CommandResult> {
  let flags: AttributionFlags | 'help';
  try {
    flags = attributionFlags(args);
  } catch (error) {
    if (error instanceof UsageError) return { exitCode: 2, stdout: '', stderr: `${error.message}\n\n${ATTRIBUTION_USAGE}\n` };
    throw error;
  }
  if (flags === 'help') return { exitCode: 0, stdout: `${ATTRIBUTION_USAGE}\n`, stderr: '' };

  let text: string;
  try {
    text = await readText(flags.paths);
  } catch (error) {
    return { exitCode: 1, stdout: '', stderr: `cannot read --paths ${flags.paths}: ${error instanceof Error ? error.message : String(error)}\n` };
  }
  try {
    return { exitCode: 0, stdout: formatAttribution(attributePaths(parsePathsFile(text), flags.model), flags.format), stderr: '' };
  } catch (error) {
    if (!(error instanceof AttributionError)) throw error;
    if (error.code === 'UNSUPPORTED_MODEL') return { exitCode: 2, stdout: '', stderr: `--model: ${error.message}\n` };
    return { exitCode: 1, stdout: '', stderr: `${flags.paths}: ${error.message}\n` };
  }
}

export function attributionFlags(args: readonly string[]): AttributionFlags | 'help' {
  const { tokens, values } = parseArgs({ args: [...args], options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind === 'positional') throw new UsageError(`unexpected argument "${token.value}": every input is given by a flag`);
    if (token.kind !== 'option') continue;
    const option = (OPTIONS as Record<string, { type: string }>)[token.name];
    if (!option) throw new UsageError(`${token.rawName} is not a flag of attribution`);
    if (option.type === 'string' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('--')))) {
      throw new UsageError(`--${token.name} needs a value`);
    }
    if (option.type === 'boolean' && token.value !== undefined) throw new UsageError(`--${token.name} takes no value`);
  }
  if (values.help) return 'help';
  if (values.paths === undefined) throw new UsageError('--paths is required: the paths file to read');
  if (values.model === undefined) throw new UsageError(`--model is required: ${PATH_MODEL_FLAGS}`);
  const spelling = String(values.model).toLowerCase().replace(/_/g, '-');
  const name = Object.hasOwn(MODEL_FLAGS, spelling) ? MODEL_FLAGS[spelling] : undefined;
  if (name === undefined) throw new UsageError(`--model "${values.model}" is not a model: use ${PATH_MODEL_FLAGS}`);
  const format = values.format ?? 'json';
  if (format !== 'json' && format !== 'csv') throw new UsageError(`--format must be json or csv (got "${format}")`);
  if (name !== 'MARKOV') {
    for (const markovOnly of ['order', 'no-nulls'] as const) {
      if (values[markovOnly] !== undefined) throw new UsageError(`--${markovOnly} applies to --model markov only`);
    }
    return { paths: String(values.paths), model: { name } as PathModel, format };
  }
  const order = values.order ?? '1';
  if (order !== '1' && order !== '2' && order !== '3') throw new UsageError(`--order must be 1, 2 or 3 (got "${order}")`);
  return { paths: String(values.paths), model: { name, order: Number(order), includeNulls: values['no-nulls'] !== true }, format };
}

/** JSON `{ model, rows: [{ key, conversions, value, removalEffect? }] }`, or CSV with a header. */
export function formatAttribution(result: PathAttribution, format: Format): string {
  const markov = result.model === 'MARKOV';
  const rows = result.rows.map((row) => ({
    key: row.key,
    conversions: row.conversions,
    value: row.value,
    ...(markov && 'removalEffect' in row ? { removalEffect: row.removalEffect } : {}),
  }));
  if (format === 'json') return `${JSON.stringify({ model: result.model, rows }, null, 2)}\n`;
  const header = markov ? 'key,conversions,value,removal_effect' : 'key,conversions,value';
  return [header, ...rows.map((row) => [csvField(row.key), ...Object.values(row).slice(1)].join(','))].join('\n') + '\n';
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
