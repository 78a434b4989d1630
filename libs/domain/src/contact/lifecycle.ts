/**
 * Where a person stands in the revenue funnel, earliest first. The order is
 * the funnel's: reports count moves forward along it as progress.
 */
export const lifecycleStages = ['subscriber', 'lead', 'mql', 'sql', 'opportunity', 'customer'] as const;

export type LifecycleStage = (typeof lifecycleStages)[number];

/** A new contact enters the funnel either as a subscriber (newsletter, blog) or as a lead. */
export const entryStages = ['subscriber', 'lead'] as const satisfies readonly LifecycleStage[];
export type EntryStage = (typeof entryStages)[number];

export type LifecycleMove =
  | { readonly allowed: true; readonly direction: 'forward' | 'recycle' | 'win-back'; readonly reasonRequired: boolean }
  | { readonly allowed: false; readonly why: string };

function rank(stage: LifecycleStage): number {
  return lifecycleStages.indexOf(stage);
}

/**
 * The allowed moves between two different stages:
 *
 * - forward, skipping stages if need be (a sales-sourced lead goes lead → sql;
 *   a self-serve buyer goes lead → customer); no reason needed;
 * - recycle: from mql, sql or opportunity back to any earlier stage (the
 *   person is not ready, the deal was lost); a reason is required so marketing
 *   learns why;
 * - customer is terminal, with one exception, the win-back: a former customer
 *   who churned goes back to lead, with a reason, to be nurtured again.
 *   Expansion deals with existing customers do not touch the lifecycle.
 *
 * Moving from subscriber or lead to an earlier stage (lead → subscriber) is a
 * recycle as well: marketing parks a lead that has gone cold.
 */
export function lifecycleMove(from: LifecycleStage, to: LifecycleStage): LifecycleMove {
  if (from === 'customer') {
    return to === 'lead'
      ? { allowed: true, direction: 'win-back', reasonRequired: true }
      : { allowed: false, why: 'a customer can only be won back as a lead' };
  }
  if (rank(to) > rank(from)) {
    return { allowed: true, direction: 'forward', reasonRequired: false };
  }
  if (rank(to) < rank(from)) {
    return { allowed: true, direction: 'recycle', reasonRequired: true };
  }
  return { allowed: false, why: `the contact is already ${to}` };
}

/** A move to an earlier stage (recycle or win-back): sales' earlier verdict no longer applies. */
export function movesBack(from: LifecycleStage, to: LifecycleStage): boolean {
  return rank(to) < rank(from);
}
