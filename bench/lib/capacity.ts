import type { PipelinePoint } from './sampler';

/**
 * The highest input rate each service sustains: the load generator steps its rate up
 * (`--rate-steps`), and a step counts as sustained by a service when the service's consumer
 * lag stops growing once the step has settled (lag that grows with time is a backlog that
 * never drains).
 */

/** Time a step gets to settle before its lag is judged: the previous step's backlog and the rate change. */
export const SETTLE_MS = 30_000;
/** Lag growth a sustained step may show, as a share of the step's input rate (noise, commit-time dips). */
export const LAG_GROWTH_TOLERANCE = 0.02;
/** Behind its schedule by more than this, the load generator (the machine), not a service, was the limit. */
export const MAX_BEHIND_S = 5;

export interface ServiceStep {
  /** Least-squares slope of the lag over the judged span, records per second. */
  lagGrowthPerS: number;
  maxLag: number;
  sustained: boolean;
}

export interface CapacityStep {
  rate: number;
  /** The span judged, seconds into the run: the step after SETTLE_MS. */
  fromS: number;
  toS: number;
  services: Record<string, ServiceStep>;
  /** Records the load generator sent per second in the span, and the most it fell behind. */
  sentPerS?: number;
  maxBehindS?: number;
  /** The load generator kept its schedule (true when it was not scraped). */
  delivered: boolean;
}

function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * Each step's verdict per service; `services` in the order of the points' lagRecords,
 * `loadStartS` the points' time at which the load generator's first step began.
 */
export function capacitySteps(
  points: readonly PipelinePoint[],
  services: readonly string[],
  rates: readonly number[],
  stepMs: number,
  loadStartS = 0,
): CapacityStep[] {
  return rates.map((rate, i) => {
    const fromS = loadStartS + (i * stepMs + SETTLE_MS) / 1000;
    const toS = loadStartS + ((i + 1) * stepMs) / 1000;
    const span = points.filter((p) => p.t >= fromS && p.t < toS);
    const perService: Record<string, ServiceStep> = {};
    services.forEach((service, s) => {
      const up = span.filter((p) => p.lagRecords[s] != null);
      const lags = up.map((p) => p.lagRecords[s] as number);
      const growth =
        up.length >= 10
          ? slope(
              up.map((p) => p.t),
              lags,
            )
          : Infinity;
      perService[service] = {
        lagGrowthPerS: Number.isFinite(growth) ? Math.round(growth * 100) / 100 : -1,
        maxLag: lags.length ? Math.max(...lags) : -1,
        sustained: growth <= LAG_GROWTH_TOLERANCE * rate,
      };
    });
    const sent = span.filter((p) => p.loadgenRecords !== undefined);
    const step: CapacityStep = { rate, fromS, toS, services: perService, delivered: true };
    if (sent.length >= 2) {
      const first = sent[0]!;
      const last = sent.at(-1)!;
      step.sentPerS = Math.round((last.loadgenRecords! - first.loadgenRecords!) / (last.t - first.t));
      step.maxBehindS = Math.max(...sent.map((p) => p.loadgenBehindS ?? 0));
      step.delivered = step.maxBehindS <= MAX_BEHIND_S;
    }
    return step;
  });
}

/**
 * `sustainedRate.<service>`: the highest rate of the unbroken run of sustained steps from
 * the first (0 when the first step is not); `sustainedRate`: the pipeline's, the lowest of
 * its services. `services` in pipeline order: a service after one that fell behind received
 * less than the step's input, so its run ends there too, and a step whose input the load
 * generator could not deliver ends every run.
 */
export function capacityFigures(
  steps: readonly CapacityStep[],
  services: readonly string[],
): Record<string, number> {
  const figures: Record<string, number> = {};
  let upstreamBroke = steps.length;
  for (const service of services) {
    let rate = 0;
    let i = 0;
    for (; i < upstreamBroke; i++) {
      const step = steps[i]!;
      if (!step.delivered || !step.services[service]?.sustained) break;
      rate = step.rate;
    }
    upstreamBroke = Math.min(upstreamBroke, i);
    figures[`sustainedRate.${service}`] = rate;
  }
  figures.sustainedRate = Math.min(...services.map((s) => figures[`sustainedRate.${s}`]!));
  return figures;
}
