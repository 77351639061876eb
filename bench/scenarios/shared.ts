import { joinOutputsOf, OUTPUT_TOPICS } from '@streamtune/reference-model';
import type { Variant } from '../lib/scenario-types';

export const CHECKOUT_TOPICS = joinOutputsOf('checkout');
export const ALL_TOPICS = [...OUTPUT_TOPICS];

/** --quick: windows and the generator's delays scaled together, so windows close within seconds. */
export const QUICK_SCALE = 0.2;
export const scale = { windowScale: 1, quickWindowScale: QUICK_SCALE };
export const quick = (duration: string) => ({ duration, timeScale: QUICK_SCALE });

export const checkoutLoad = { rate: 200, recordSize: 6144, timeScale: 1, duration: '3m' };
export const checkoutCrash = {
  service: 'checkout' as const,
  afterMs: 100_000,
  quickAfterMs: 20_000,
};

export const exactlyOnce = { processingGuarantee: 'exactly_once_v2', commitIntervalMs: 100 };

/** A playbook step's pair: the baseline profile, then the profile the page tunes to. */
export function beforeAfter(afterProfile: string): Variant[] {
  return [
    { name: 'before', profile: 'baseline' },
    { name: 'after', profile: afterProfile },
  ];
}
