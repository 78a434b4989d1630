import { AttributionError } from './errors';
import { markovAttribution, type MarkovOptions, type MarkovRow } from './markov';
import { positionalWeights } from './models/position-weights';
import { scaledPresets, type RuleBasedModelName } from './models/rule-based';
import { sharesOf } from './money';
import { addCredit, canonicalRows, ranked, totalsOf, zeroTotals, type PathRow, type ValueCredit } from './path-rows';
import { shapleyAttribution } from './shapley';

/** The models that can run on path rows, which carry values in order but no dates and no milestones. */
export const pathModels = ['FIRST_TOUCH', 'LAST_TOUCH', 'LINEAR', 'POSITION_BASED', 'J_SHAPED', 'INVERSE_J', 'MARKOV', 'SHAPLEY'] as const;

export type PathModelName = (typeof pathModels)[number];

export type PathModel = { readonly name: Exclude<PathModelName, 'MARKOV'> } | ({ readonly name: 'MARKOV' } & MarkovOptions);

export interface PathAttribution {
  readonly model: PathModelName;
  readonly totalConversions: number;
  readonly totalValue: number;
  /** Per value; MARKOV rows also carry their removal effects. */
  readonly rows: readonly (ValueCredit | MarkovRow)[];
}

const unsupportedOnPaths: Readonly<Record<Exclude<RuleBasedModelName, PathModelName>, string>> = {
  LAST_NON_DIRECT: "needs each touch's channel, and the values of a path need not be channels",
  TIME_DECAY: 'needs the time of each touch and of the conversion, which path rows do not carry',
  U_SHAPED: 'needs the lead-creation touch, which path rows do not mark',
  W_SHAPED: 'needs the lead-creation and opportunity-creation touches, which path rows do not mark',
  FULL_PATH: 'needs the lead-creation, opportunity-creation and closed-won touches, which path rows do not mark',
  CUSTOM: 'weighs milestones (LC, OC, CW) that path rows do not mark',
};

/**
 * Conversions and value per value of the rows. The heuristic models read each row as
 * `conversions` identical journeys and ignore the non-converting ones.
 */
export function attributePaths(rows: readonly PathRow[], model: PathModel): PathAttribution {
  const name = model.name as string;
  if (Object.hasOwn(unsupportedOnPaths, name)) {
    throw new AttributionError('UNSUPPORTED_MODEL', `model ${name} cannot run on path rows: it ${unsupportedOnPaths[name as keyof typeof unsupportedOnPaths]}`, 'model');
  }
  switch (model.name) {
    case 'MARKOV':
      return { model: model.name, ...markovAttribution(rows, model) };
    case 'SHAPLEY':
      return { model: model.name, ...shapleyAttribution(rows) };
    case 'LINEAR':
      return heuristic(rows, model.name, (path) => path.map(() => 1n));
    case 'FIRST_TOUCH':
    case 'LAST_TOUCH':
    case 'POSITION_BASED':
    case 'J_SHAPED':
    case 'INVERSE_J': {
      const weights = scaledPresets[model.name];
      return heuristic(rows, model.name, (path) => positionalWeights(path.length, { FT: 0, last: path.length - 1 }, weights).weights);
    }
    default: {
      const unknown: never = model;
      throw new AttributionError('UNSUPPORTED_MODEL', `model ${(unknown as { name: string }).name} is not one of ${pathModels.join(', ')}`, 'model');
    }
  }
}

function heuristic(rows: readonly PathRow[], model: PathModelName, weigh: (path: readonly string[]) => bigint[]): PathAttribution {
  const canonical = canonicalRows(rows);
  const totals = zeroTotals(canonical);
  for (const { path, conversions, value } of canonical) {
    if (conversions === 0) continue;
    const weights = weigh(path);
    const shares = sharesOf(weights, weights.reduce((sum, weight) => sum + weight, 0n));
    path.forEach((key, index) => addCredit(totals, key, conversions * shares[index], value * shares[index]));
  }
  return { model, ...totalsOf(canonical), rows: ranked(totals.values()) };
}
