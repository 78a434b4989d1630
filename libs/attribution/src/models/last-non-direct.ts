import type { JourneyTouch } from '../journey';

export const DIRECT_CHANNEL = 'direct';

/** All to the last touch outside the `direct` channel; to the last touch when every one is direct. */
export function lastNonDirectWeights(touches: readonly JourneyTouch[]): bigint[] {
  let credited = touches.length - 1;
  for (let index = touches.length - 1; index >= 0; index--) {
    if (touches[index].channel !== DIRECT_CHANNEL) {
      credited = index;
      break;
    }
  }
  return touches.map((_, index) => (index === credited ? 1n : 0n));
}
