import { describe, expect, it } from 'vitest';
import { TopicTally, type Observation } from '../src/tally';
import { parseCli } from '../src/cli';

const seen = (id: string | undefined, extra: Partial<Observation> = {}): Observation => ({
  topic: 'orders-paid',
  id,
  arrivalMs: 1_000,
  latencyMs: 10,
  backlog: false,
  ...extra,
});

describe('TopicTally', () => {
  it('counts completeness over required results only, and duplicates and strays apart', () => {
    const t = new TopicTally('orders-paid', [
      { id: 'a', required: true },
      { id: 'b', required: true },
      { id: 'c', required: false },
    ]);
    t.add(seen('a'));
    t.add(seen('a', { arrivalMs: 2_000 }));
    t.add(seen('c'));
    t.add(seen('zzz'));
    t.add(seen('zzz'));
    t.add(seen(undefined, { invalidReason: 'not JSON' }));
    expect(t.complete).toBe(false);
    const r = t.report();
    expect(r).toMatchObject({
      required: 2,
      received: 6,
      completeness: 0.5,
      missing: 1,
      missingSamples: ['b'],
      duplicates: 2,
      unexpected: 1,
      unexpectedSamples: ['zzz'],
      invalid: 1,
      invalidSamples: ['not JSON'],
      optionalSeen: 1,
      completedAt: undefined,
    });
  });

  it('counts a copy of a malformed record (a resent request) as a duplicate, not as another malformed record', () => {
    const t = new TopicTally('orders', [{ id: 'a', required: true }]);
    t.add(seen(undefined, { invalidReason: 'not JSON', fingerprint: '0/k1@5:aa' }));
    t.add(seen(undefined, { invalidReason: 'not JSON', fingerprint: '0/k1@5:aa' }));
    t.add(seen(undefined, { invalidReason: 'not JSON', fingerprint: '1/k2@5:bb' }));
    // no fingerprint: every such record counts
    t.add(seen(undefined, { invalidReason: 'not JSON' }));
    t.add(seen(undefined, { invalidReason: 'not JSON' }));
    const r = t.report();
    expect(r).toMatchObject({ received: 5, invalid: 4, duplicates: 1 });
    expect(r.duplicateSamples).toEqual(['malformed 0/k1@5:aa x2']);
  });

  it('is complete when every required result arrived, and remembers when', () => {
    const t = new TopicTally('x', [
      { id: 'a', required: true },
      { id: 'b', required: true },
    ]);
    t.add(seen('b', { arrivalMs: 5_000 }));
    t.add(seen('a', { arrivalMs: 7_000 }));
    t.add(seen('a', { arrivalMs: 9_000 }));
    expect(t.complete).toBe(true);
    expect(t.report().completedAt).toBe(7_000);
  });

  it('leaves backlog records out of the latency figures', () => {
    const t = new TopicTally('x', [{ id: 'a', required: true }]);
    t.add(seen('a', { backlog: true, latencyMs: 60_000 }));
    t.add(seen('b', { latencyMs: 20 }));
    const r = t.report();
    expect(r.backlogRecords).toBe(1);
    expect(r.latencyMs.count).toBe(1);
    expect(r.latencyMs.max).toBeCloseTo(20, 0);
  });

  it('breaks left/outer results down by shape', () => {
    const t = new TopicTally('order-outcomes', [
      { id: 'j', required: true, sides: 'both' },
      { id: 'l', required: true, sides: 'left' },
    ]);
    t.add(seen('j'));
    expect(t.report().sides).toEqual({ both: { expected: 1, seen: 1 }, left: { expected: 1, seen: 0 } });
  });

  it('treats a topic with nothing required as complete', () => {
    expect(new TopicTally('x', []).completeness).toBe(1);
  });
});

describe('verifier CLI', () => {
  it('reads flags, falls back to VERIFIER_* and KAFKA_BROKERS, and rejects bad values', () => {
    const { options } = parseCli(
      ['--manifest', 'm.jsonl', '--timeout', '90s', '--min-completeness', '0.99'],
      {
        KAFKA_BROKERS: 'a:1,b:2',
        VERIFIER_MODE: 'inputs',
        VERIFIER_TOPIC_PREFIX: 'p1',
      },
    );
    expect(options).toMatchObject({
      manifestPath: 'm.jsonl',
      brokers: ['a:1', 'b:2'],
      mode: 'inputs',
      topicPrefix: 'p1',
      timeoutMs: 90_000,
      minCompleteness: 0.99,
      maxUnexpected: 0,
    });
    expect(parseCli([], {}).options.topicPrefix).toBeUndefined();
    expect(() => parseCli(['--mode', 'both'], {})).toThrow(/--mode/);
    expect(() => parseCli(['--min-completeness', '2'], {})).toThrow(/0..1/);
    expect(() => parseCli(['--nope'], {})).toThrow();
  });
});

describe('targets on a report', () => {
  it('fails the verdict for a missed target and names it', async () => {
    const { applyTargets, reportFigures } = await import('../src/figures');
    const t = new TopicTally('orders-paid', [{ id: 'a', required: true }]);
    t.add(seen('a', { latencyMs: 800 }));
    const report = {
      verdict: 'pass' as const,
      failures: [],
      mode: 'outputs' as const,
      stoppedBecause: 'complete' as const,
      manifest: {} as never,
      topics: [t.report()],
      endToEnd: { latencyMs: t.latencyRecorder().summary(), timeToCompleteMs: 30_000 },
      verifier: { startedAt: 0, finishedAt: 1 },
    };
    expect(reportFigures(report)['orders-paid.p99Ms']).toBeCloseTo(800, -1);
    const checked = applyTargets(report, {
      'orders-paid.p99Ms': { max: 500 },
      timeToCompleteMs: { max: 60_000 },
    });
    expect(checked.verdict).toBe('fail');
    expect(checked.failures).toEqual([
      expect.stringMatching(/^target: orders-paid.p99Ms = 80\d(\.\d+)? > max 500$/),
    ]);
  });
});
