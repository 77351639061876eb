import { describe, expect, it } from 'vitest';
import { UsageError } from '@streamtune/cli-kit';
import { parseOptions } from '../src/options';
import { LiveStats } from '../src/live';
import { phaseOf, type PhaseInput } from '../src/phase';
import { DOWN, quantileMs, summarize } from '../src/scrape';
import { renderView } from '../src/view';

const METRICS = `# HELP streamtune_state x
streamtune_state{service="checkout",state="RUNNING"} 1
streamtune_state{service="checkout",state="REBALANCING"} 0
streamtune_records_processed_total{task="0_1",topic="d.orders"} 40
streamtune_records_processed_total{task="0_2",topic="d.payments"} 2
streamtune_producer_records_sent_total{topic="d.orders-paid"} 30
streamtune_producer_records_sent_total{topic="d.streamtune-checkout-orders-paid-this-join-store-changelog"} 90
streamtune_consumer_lag_records{topic="d.orders",partition="0"} 5
process_resident_memory_bytes 104857600
streamtune_process_latency_seconds_bucket{task="0_1",le="0.001"} 50
streamtune_process_latency_seconds_bucket{task="0_1",le="0.01"} 99
streamtune_process_latency_seconds_bucket{task="0_1",le="+Inf"} 100
streamtune_dead_letters_total{topic="d.orders"} 1
`;

const PHASE: PhaseInput = {
  now: 0,
  loadStartedAt: 0,
  durationMs: 100_000,
  drainMs: 100_000,
  loadgenDone: false,
  verifyTimeoutMs: 900_000,
  verifierStartedAt: 0,
};

describe('demo', () => {
  it('reads the figures it shows from a service scrape, topics without the run prefix', () => {
    const s = summarize(METRICS, 'd');
    expect(s.state).toBe('RUNNING');
    expect(s.processed).toBe(42);
    expect(s.sentByTopic.get('orders-paid')).toBe(30);
    expect(s.rssBytes).toBe(104_857_600);
    expect(s.deadLetters).toBe(1);
    expect(quantileMs(s.latencyBuckets, undefined, 0.5)).toBe(1);
    expect(quantileMs(s.latencyBuckets, undefined, 0.99)).toBe(10);
    expect(quantileMs(s.latencyBuckets, undefined, 1)).toBe(Infinity);
    // over an interval: only the difference counts
    expect(quantileMs(s.latencyBuckets, s.latencyBuckets, 0.99)).toBeUndefined();
  });

  it('keeps totals and rates monotonic when a service restarts, and shows the restart', () => {
    const stats = new LiveStats();
    const first = summarize(METRICS, 'd');
    stats.row('checkout', first, 0, 0, undefined);
    const later = summarize(METRICS.replace('} 40', '} 140'), 'd');
    expect(stats.row('checkout', later, 2_000, 0, 7)).toMatchObject({ processed: 142, inRate: 50, lag: 7 });
    // restarted: its counters begin again at 0, the totals carry on
    const restarted = summarize(METRICS.replace('} 40', '} 10').replace('} 2', '} 0'), 'd');
    const row = stats.row('checkout', restarted, 4_000, 1, 3);
    expect(row).toMatchObject({ processed: 152, inRate: 5, restarts: 1 });
    expect(row.sent.get('orders-paid')).toEqual({ total: 60, rate: 15 });
    const down = stats.row('checkout', DOWN, 6_000, 1, undefined);
    expect(down).toMatchObject({ processed: 152, inRate: 0 });

    const view = renderView({
      elapsedMs: 65_000,
      phase: phaseOf({ ...PHASE, now: 50_000 }),
      services: new Map([['checkout', { ...row, state: 'restarting' }]]),
      loadgen: 'loadgen line',
      verifier: '',
      events: ['23:59:00 checkout crashed (killed by SIGKILL); restarting it on its state directory'],
      notes: ['prometheus: not installed'],
    });
    expect(view).toContain('1m05s  load 0m50s left');
    expect(view).toMatch(/orders-paid\s+checkout\s+60\s+15/);
    expect(view).toMatch(/checkout\s+restarting\s+1\s+5/);
    expect(view).toContain('checkout crashed');
    expect(view).toContain('prometheus: not installed');
  });

  it('names the phase and the time left in it', () => {
    expect(phaseOf({ ...PHASE, loadStartedAt: undefined }).name).toBe('starting');
    expect(phaseOf({ ...PHASE, now: 130_000 })).toMatchObject({ name: 'drain', leftMs: 70_000 });
    expect(phaseOf({ ...PHASE, now: 130_000, drainMs: undefined })).toMatchObject({
      name: 'drain',
      leftMs: undefined,
    });
    expect(phaseOf({ ...PHASE, now: 300_000, loadgenDone: true })).toMatchObject({
      name: 'verify',
      leftMs: 600_000,
    });
  });

  it('parses its flags and rejects bad ones', () => {
    const o = parseOptions([
      '--profile',
      'tuned',
      '--rate',
      '500',
      '--duration',
      '90s',
      '--record-size',
      '2048',
    ]);
    expect(o).toMatchObject({ profile: 'tuned', rate: 500, durationMs: 90_000, recordSize: 2048 });
    expect(parseOptions([]).durationMs).toBe(120_000);
    expect(() => parseOptions(['--rate', '0'])).toThrow(UsageError);
    expect(() => parseOptions(['--duration', 'soon'])).toThrow(/not a duration/);
    expect(parseOptions(['--restart-on-crash=false']).restartOnCrash).toBe(false);
    expect(() => parseOptions(['--nope'])).toThrow(UsageError);
  });
});
