import { describe, expect, it } from 'vitest';
import { capacityFigures, capacitySteps } from '../lib/capacity';
import type { PipelinePoint } from '../lib/sampler';

const STEP_MS = 60_000;

/** One point a second; `lag(service, t)` per service, the load generator on schedule unless `behind`. */
function points(
  seconds: number,
  lag: (service: number, t: number) => number | null,
  behind = () => 0,
): PipelinePoint[] {
  return Array.from({ length: seconds }, (_, t) => ({
    t,
    lagRecords: [0, 1, 2].map((s) => lag(s, t)),
    loadgenRecords: t * 100,
    loadgenBehindS: behind(),
  })) as unknown as PipelinePoint[];
}

const SERVICES = ['checkout', 'fulfillment', 'marketing'];

describe('the capacity search', () => {
  it('finds the highest step before a service lag grows, and ends the services after it there', () => {
    // checkout keeps up at 100 and 200 rec/s (lag jitters) and falls behind at 300: lag grows 40 rec/s
    const run = points(180, (s, t) => (s === 0 && t >= 120 ? (t - 120) * 40 : (t * 7) % 13));
    const steps = capacitySteps(run, SERVICES, [100, 200, 300], STEP_MS);
    expect(steps.map((x) => x.services.checkout!.sustained)).toEqual([true, true, false]);
    expect(steps[2]!.services.checkout!.lagGrowthPerS).toBeCloseTo(40, 0);
    // fulfillment's lag stayed flat at 300, but it got what checkout could deliver, not 300
    expect(steps[2]!.services.fulfillment!.sustained).toBe(true);
    expect(capacityFigures(steps, SERVICES)).toEqual({
      'sustainedRate.checkout': 200,
      'sustainedRate.fulfillment': 200,
      'sustainedRate.marketing': 200,
      sustainedRate: 200,
    });
  });

  it('counts a downstream service that falls behind first on its own', () => {
    const run = points(180, (s, t) => (s === 2 && t >= 60 ? (t - 60) * 30 : 0));
    const figures = capacityFigures(capacitySteps(run, SERVICES, [100, 200, 300], STEP_MS), SERVICES);
    expect(figures['sustainedRate.checkout']).toBe(300);
    expect(figures['sustainedRate.marketing']).toBe(100);
    expect(figures.sustainedRate).toBe(100);
  });

  it('does not credit a service with a step the load generator could not deliver', () => {
    const run = points(
      120,
      () => 0,
      () => 12,
    );
    const steps = capacitySteps(run, SERVICES, [100, 200], STEP_MS);
    expect(steps.every((x) => !x.delivered)).toBe(true);
    expect(capacityFigures(steps, SERVICES).sustainedRate).toBe(0);
  });

  it('does not count a step in which the service was down', () => {
    const run = points(60, (s) => (s === 1 ? null : 0));
    const steps = capacitySteps(run, SERVICES, [100], STEP_MS);
    expect(steps[0]!.services.fulfillment!.sustained).toBe(false);
  });
});
