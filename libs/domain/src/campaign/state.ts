import { assertNever } from '../shared/decider';
import type { CurrencyCode } from '../shared/money';
import type { CampaignEvent } from './events';

export type CampaignState =
  | { readonly status: 'unknown' }
  | {
      readonly status: 'active';
      readonly campaignId: string;
      readonly currency: CurrencyCode;
      /** Spend in minor units per `spendKey(day, source)`. */
      readonly spend: ReadonlyMap<string, number>;
    };

export function spendKey(day: string, source: string): string {
  return `${day}|${source}`;
}

export function initial(): CampaignState {
  return { status: 'unknown' };
}

export function evolve(state: CampaignState, event: CampaignEvent): CampaignState {
  switch (event.type) {
    case 'CampaignCreated':
      return { status: 'active', campaignId: event.data.campaignId, currency: event.data.budget.currency, spend: new Map() };
    case 'CampaignSpendRecorded':
    case 'CampaignSpendCorrected': {
      // Replays must never break: spend before creation is ignored.
      if (state.status !== 'active') {
        return state;
      }
      const spend = new Map(state.spend).set(spendKey(event.data.day, event.data.source), event.data.amount.amountMinor);
      return { ...state, spend };
    }
    default:
      return assertNever(event);
  }
}
