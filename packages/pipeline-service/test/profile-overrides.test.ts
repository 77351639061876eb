import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyProfileOverrides, loadProfile } from '../src/index';

const checkoutProfiles = fileURLToPath(new URL('../../../apps/checkout/profiles', import.meta.url));

describe('PROFILE_OVERRIDES', () => {
  it('changes only the knobs it names, on top of the profile chain', () => {
    const tuned = loadProfile(checkoutProfiles, 'tuned');
    const p = applyProfileOverrides(
      tuned,
      '{"consumer":{"sessionTimeoutMs":10000},"producer":{"lingerMs":5}}',
    );
    expect(p.consumer?.sessionTimeoutMs).toBe(10_000);
    expect(p.producer?.lingerMs).toBe(5);
    expect(p.producer?.batchSize).toBe(tuned.producer?.batchSize);
    expect(p.commitIntervalMs).toBe(tuned.commitIntervalMs);
    expect(p.chain).toEqual(['overrides', ...tuned.chain]);
  });

  it('leaves the profile alone when unset or empty', () => {
    const baseline = loadProfile(checkoutProfiles, 'baseline');
    expect(applyProfileOverrides(baseline, undefined)).toBe(baseline);
    expect(applyProfileOverrides(baseline, ' ')).toBe(baseline);
  });

  it('rejects unknown knobs, bad JSON and "extends" with a clear error', () => {
    const baseline = loadProfile(checkoutProfiles, 'baseline');
    expect(() => applyProfileOverrides(baseline, '{"comitIntervalMs":1}')).toThrow(/PROFILE_OVERRIDES/);
    expect(() => applyProfileOverrides(baseline, '{nope')).toThrow(/not JSON/);
    expect(() => applyProfileOverrides(baseline, '{"extends":"tuned"}')).toThrow(/extends/);
  });
});

describe('profile chains', () => {
  it('keep a base profile knob that a step does not name (no schema defaults merged in)', () => {
    // batching.json sets batchSize and lingerMs; an override naming lingerMs alone keeps batchSize
    const batching = loadProfile(checkoutProfiles, 'batching');
    const over = applyProfileOverrides(batching, '{"producer":{"lingerMs":5}}');
    expect(over.producer?.batchSize).toBe(1_048_576);
    expect(Object.keys(over.producer ?? {}).sort()).toEqual(['batchSize', 'lingerMs']);
  });
});
