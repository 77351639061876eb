import { describe, expect, it } from 'vitest';
import { UsageError } from '@streamtune/cli-kit';
import { parseOptions } from '../src/options';
import { quantileMs, summarize } from '../src/scrape';
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

describe('demo', () => {
  it('reads the figures it shows from a service scrape, topics without the run prefix', () => {
    const s = summarize(METRICS, 'd');
    expect(s.state).toBe('RUNNING');
    expect(s.processed).toBe(42);
    expect(s.sentByTopic.get('orders-paid')).toBe(30);
    expect(s.lag).toBe(5);
    expect(s.rssBytes).toBe(104_857_600);
    expect(s.deadLetters).toBe(1);
    expect(quantileMs(s.latencyBuckets, undefined, 0.5)).toBe(1);
    expect(quantileMs(s.latencyBuckets, undefined, 0.99)).toBe(10);
    expect(quantileMs(s.latencyBuckets, undefined, 1)).toBe(Infinity);
    // over an interval: only the difference counts
    expect(quantileMs(s.latencyBuckets, s.latencyBuckets, 0.99)).toBeUndefined();
    const view = renderView({
      elapsedMs: 65_000,
      phase: 'generating',
      services: new Map([['checkout', { now: s, before: undefined, intervalMs: 0 }]]),
      loadgen: 'loadgen line',
      verifier: '',
      notes: ['prometheus: not installed'],
    });
    expect(view).toContain('1m05s');
    expect(view).toMatch(/orders-paid\s+checkout\s+30/);
    expect(view).toContain('prometheus: not installed');
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
