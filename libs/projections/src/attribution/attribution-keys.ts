import { NO_TOUCH, NOT_SET, dimensions, type Dimension } from '@revops/attribution';

/** The column of `credits` and of `touches` that holds a dimension's value. */
export const dimensionColumns: Readonly<Record<Dimension, string>> = {
  channel: 'channel',
  campaign: 'campaign_id',
  source: 'source',
  medium: 'medium',
  content: 'content',
};

/** A touch's report key under a dimension: its value, `(not set)` without one. */
export function touchKey(dimension: Dimension, alias = ''): string {
  return `coalesce(${alias}${dimensionColumns[dimension]}, '${NOT_SET}')`;
}

/** A credit's report key: the touch's key, or `(none)` for a deal no touch explains. */
export function creditKey(dimension: Dimension, alias = ''): string {
  return `CASE WHEN ${alias}touchpoint_id = '${NO_TOUCH}' THEN '${NO_TOUCH}' ELSE ${touchKey(dimension, alias)} END`;
}

/**
 * The dimension `credit_totals` keeps a deal's whole credit under, once per deal: its totals
 * count each deal once, where the other dimensions count it under every key it touches.
 */
export const TOTAL_DIMENSION = 'all';

/** `(dimension, key)` pairs for every dimension a report groups by, and the whole. */
export function creditKeyPairs(alias = ''): string {
  return [`('${TOTAL_DIMENSION}', '')`, ...dimensions.map((dimension) => `('${dimension}', ${creditKey(dimension, alias)})`)].join(', ');
}
