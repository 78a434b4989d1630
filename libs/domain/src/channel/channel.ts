/** The marketing and sales channels every touch, campaign and report is grouped by. */
export const channels = [
  'paid_search',
  'paid_social',
  'organic_search',
  'organic_social',
  'email',
  'display',
  'referral',
  'direct',
  'events',
  'content',
  'partner',
  'sales_outbound',
] as const;

export type Channel = (typeof channels)[number];
