import { Branched, JoinWindows, StreamsBuilder, type KStream, type KeyValue } from '@streamtune/streams';
import { TopologyTestDriver } from '@streamtune/streams/testing';
import { buildAggregate, buildTables } from './ts-tables';
import { bucket, isWallClock, type Op, type OutRecord, type Scenario, type ScenarioResult } from './scenario';

type S = KStream<string | null, string | null>;

const tagged = (tag: string) => (v: string | null) => (v === null ? null : v + tag);

function applyOps(builder: StreamsBuilder, start: S, ops: readonly Op[]): S {
  let s = start;
  for (const op of ops) {
    switch (op.op) {
      case 'mapValues':
        s = s.mapValues(tagged(op.tag));
        break;
      case 'map': {
        const tag = op.tag;
        s = s.map((k, v): KeyValue<string | null, string | null> => ({
          key: k === null ? null : k + tag,
          value: v === null ? null : v + tag,
        }));
        break;
      }
      case 'selectKey': {
        const mod = op.mod;
        s = s.selectKey((_k, v) => (v === null ? null : `k${bucket(v, mod)}`));
        break;
      }
      case 'filter': {
        const { mod, rem } = op;
        s = op.not
          ? s.filterNot((_k, v) => bucket(v, mod) === rem)
          : s.filter((_k, v) => bucket(v, mod) !== rem);
        break;
      }
      case 'flatMap': {
        const count = op.count;
        s = s.flatMap((k, v) =>
          Array.from({ length: count }, (_, i) => ({ key: k, value: v === null ? null : `${v}#${i}` })),
        );
        break;
      }
      case 'flatMapValues': {
        const count = op.count;
        s = s.flatMapValues((v) =>
          Array.from({ length: count }, (_, i) => (v === null ? null : `${v}~${i}`)),
        );
        break;
      }
      case 'repartition':
        s = s.repartition();
        break;
      case 'merge':
        s = s.merge(applyOps(builder, builder.stream<string | null, string | null>('right'), op.ops));
        break;
      case 'split': {
        const split = s.split();
        op.branches.forEach(({ mod, rem }, i) => {
          split.branch(
            (_k, v) => bucket(v, mod) === rem,
            Branched.withFunction((b: S) => b.mapValues(tagged(`/b${i + 1}`))),
          );
        });
        const branches = split.defaultBranch(Branched.withFunction((b: S) => b.mapValues(tagged('/b0'))));
        let merged: S | undefined;
        for (const b of branches.values()) merged = merged ? merged.merge(b) : b;
        s = merged!;
        break;
      }
    }
  }
  return s;
}

function windowsOf(beforeMs: number, afterMs: number, graceMs: number): JoinWindows {
  const w = JoinWindows.ofTimeDifferenceAndGrace(0, graceMs);
  return beforeMs >= 0 ? w.before(beforeMs).after(afterMs) : w.after(afterMs).before(beforeMs);
}

function build(scenario: Scenario) {
  const builder = new StreamsBuilder();
  const t = scenario.topology;
  if (t.table) {
    const out = applyOps(builder, buildTables(builder, t.table, t.right ?? [], applyOps), t.after ?? []);
    out.to('out');
    return builder.build();
  }
  const left = applyOps(builder, builder.stream<string | null, string | null>('left'), t.left);
  let out = left;
  if (t.aggregate) out = applyOps(builder, buildAggregate(left, t.aggregate), t.after ?? []);
  if (t.join) {
    const j = t.join;
    const right = applyOps(builder, builder.stream<string | null, string | null>('right'), t.right ?? []);
    const windows = windowsOf(j.beforeMs, j.afterMs, j.graceMs);
    const joiner = (l: string | null, r: string | null): string | null => `${l}+${r}`;
    const joined = j.emitIntervalMs === undefined ? {} : { outerJoinEmitIntervalMs: j.emitIntervalMs };
    out =
      j.type === 'inner'
        ? left.join<string | null, string | null>(right, joiner, windows, joined)
        : j.type === 'left'
          ? left.leftJoin<string | null, string | null>(right, joiner, windows, joined)
          : left.outerJoin<string | null, string | null>(right, joiner, windows, joined);
    out = applyOps(builder, out, t.after ?? []);
  }
  out.to('out');
  return builder.build();
}

const usesRight = (s: Scenario) =>
  !!s.topology.join || !!s.topology.table?.join || s.topology.left.some((op) => op.op === 'merge');

/**
 * Record caches off (Kafka Streams' runner sets statestore.cache.max.bytes 0 too): with
 * caching, what an aggregation forwards depends on when caches flush, and the two drivers
 * need not flush at the same moments within one input's cascade (repartition topics).
 */
const CONFIG = { stateStore: { cacheMaxBytes: 0 } };

/** Runs one scenario through streamtune's TopologyTestDriver; output after every step. */
export async function runStreamtune(scenario: Scenario): Promise<ScenarioResult> {
  const steps: OutRecord[][] = [];
  let driver: TopologyTestDriver | undefined;
  try {
    driver = new TopologyTestDriver(build(scenario), CONFIG, {
      initialWallClockTimeMs: scenario.initialWallClockMs ?? 0,
    });
    const left = driver.createInputTopic<string | null, string | null>('left');
    const right = usesRight(scenario) ? driver.createInputTopic<string | null, string | null>('right') : null;
    const out = driver.createOutputTopic<string | null, string | null>('out');
    for (const step of scenario.steps) {
      if (isWallClock(step)) await driver.advanceWallClockTime(step.advanceWallClockMs);
      else {
        const input = step.input === 'right' ? right : left;
        if (!input) throw new Error('scenario pipes into right but the topology does not read it');
        await input.pipeInput(step.key, step.value, step.timestamp);
      }
      steps.push(out.readRecordsToList().map((r): OutRecord => [r.key, r.value, r.timestamp]));
    }
    return { id: scenario.id, steps };
  } catch (e) {
    return { id: scenario.id, steps, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  } finally {
    await driver?.close().catch(() => undefined);
  }
}

export async function runStreamtuneAll(scenarios: readonly Scenario[]): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const s of scenarios) results.push(await runStreamtune(s));
  return results;
}
