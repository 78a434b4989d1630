import { NO_TOUCH, NOT_SET, type Dimension } from '@revops/attribution';
import type { CreditRow } from './attribution.projection';

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
 * The dimension `credit_totals` keeps a deal's whole credit under, with the key '': its totals
 * count each deal once, where the other dimensions count it under every key it touches.
 */
export const TOTAL_DIMENSION = 'all';

/** `creditKey` for a credit in memory: the same key the SQL gives the stored row. */
export function creditKeyOf(credit: Pick<CreditRow, 'touchpointId' | 'channel' | 'campaignId' | 'source' | 'medium' | 'content'>, dimension: Dimension): string {
  if (credit.touchpointId === NO_TOUCH) return NO_TOUCH;
  const value = { channel: credit.channel, campaign: credit.campaignId, source: credit.source, medium: credit.medium, content: credit.content }[dimension];
  return value ?? NOT_SET;
}
