import { describe, expect, it } from 'vitest';
import { parseDuration } from '@streamtune/cli-kit';
import { parseCli } from '../src/cli';
import { DEFAULT_DELAYS } from '../src/options';

describe('loadgen CLI', () => {
  it('parses durations with units', () => {
    expect(parseDuration('1500ms')).toBe(1_500);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('3')).toBe(3_000);
    expect(() => parseDuration('soon')).toThrow(/not a duration/);
  });

  it('reads flags before LOADGEN_* variables before defaults', () => {
    const { plan, run } = parseCli(['--orders', '1000', '--rate', '500', '--topic-prefix', 'bench-1'], {
      LOADGEN_RATE: '9',
      LOADGEN_SEED: 'from-env',
      KAFKA_BROKERS: 'k1:9092,k2:9092',
    });
    expect(plan.orders).toBe(1_000);
    expect(plan.durationMs).toBeUndefined();
    expect(plan.rate).toBe(500);
    expect(plan.seed).toBe('from-env');
    expect(run.brokers).toEqual(['k1:9092', 'k2:9092']);
    expect(run.topicPrefix).toBe('bench-1');
    expect(run.partitions).toBe(12);
  });

  it('runs rate steps for steps x step duration, the default step included', () => {
    const { plan } = parseCli(['--rate-steps', '100,200,400', '--duration', '10s'], {});
    expect(plan.rateSteps).toEqual({ rates: [100, 200, 400], stepMs: 150_000 });
    expect(plan.durationMs).toBe(450_000);
    const short = parseCli(['--rate-steps', '50', '--step-duration', '40s'], {}).plan;
    expect(short.durationMs).toBe(40_000);
    expect(() => parseCli(['--rate-steps', '100,fast'], {})).toThrow(/--rate-steps/);
    expect(() => parseCli(['--rate-steps', '100', '--orders', '10'], {})).toThrow(/--orders/);
  });

  it('scales delays and windows together with --time-scale', () => {
    const { plan } = parseCli(['--time-scale', '0.1'], {});
    expect(plan.delays.order[1]).toBe(DEFAULT_DELAYS.order[1] / 10);
    expect(plan.windows['orders-paid'].windowMs).toBe(500);
  });

  it('rejects bad values with the flag name', () => {
    expect(() => parseCli(['--rate', 'fast'], {})).toThrow(/--rate/);
    expect(() => parseCli(['--orders', '1.5'], {})).toThrow(/--orders/);
    expect(() => parseCli(['--late-topics', 'nope'], {})).toThrow(/--late-topics/);
    expect(() => parseCli(['--views-per-session', '3-1'], {})).toThrow(/--views-per-session/);
    expect(() => parseCli(['--unknown-flag', 'x'], {})).toThrow();
  });
});

describe('key cardinality', () => {
  it('rejects so few order keys that a key comes back while its earlier order is still in a window', async () => {
    const { defaultPlanOptions, validatePlanOptions } = await import('../src/options');
    expect(() => validatePlanOptions(defaultPlanOptions({ orderKeys: 50, rate: 2000 }))).toThrow(
      /--order-keys 50 reuses a key/,
    );
    expect(() => validatePlanOptions(defaultPlanOptions({ orderKeys: 1_000_000, rate: 2000 }))).not.toThrow();
  });
});
