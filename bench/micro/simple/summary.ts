/**
 * The results file's figures: median and range of every case (streamtune under the case's
 * name, Kafka Streams under `kafka-streams/<case>`, the baselines under theirs), the ratio to
 * kafkajs' consume+produce loop, and streamtune against Kafka Streams per case.
 */
import { runStats, type RunStats } from '@streamtune/perf';
import type { CaseResult } from './setup';
import { ENGINE_CASES } from './streamtune-cases';

export function label(r: CaseResult): string {
  return r.engine === 'kafka-streams' ? `kafka-streams/${r.case}` : r.case;
}

export interface Versus {
  streamtune: RunStats;
  kafkaStreams: RunStats;
  /**
   * streamtune / Kafka Streams, input records/s: of the medians, and the conservative ends
   * (slowest streamtune run over fastest Kafka Streams run, and the other way round).
   */
  ratio: { median: number; min: number; max: number; separated: boolean };
  /** Output records of every run, in run order: for the join, its result count. */
  outputRecords: { streamtune: number[]; kafkaStreams: number[]; equal: boolean };
}

const ok = (results: CaseResult[], name: string) =>
  results.filter((r) => label(r) === name && !r.error && r.inputRecords > 0);

/** streamtune against Kafka Streams, per case that both ran at least once without error. */
export function versusKafkaStreams(results: CaseResult[]): Record<string, Versus> {
  const out: Record<string, Versus> = {};
  for (const name of ENGINE_CASES) {
    const st = ok(results, name);
    const ks = ok(results, `kafka-streams/${name}`);
    if (!st.length || !ks.length) continue;
    const s = runStats(st.map((r) => r.recordsPerSec));
    const k = runStats(ks.map((r) => r.recordsPerSec));
    const outputs = {
      streamtune: st.map((r) => r.outputRecords),
      kafkaStreams: ks.map((r) => r.outputRecords),
    };
    const all = [...outputs.streamtune, ...outputs.kafkaStreams];
    out[name] = {
      streamtune: s,
      kafkaStreams: k,
      ratio: {
        median: s.median / k.median,
        min: s.min / k.max,
        max: s.max / k.min,
        separated: s.min > k.max || s.max < k.min,
      },
      outputRecords: { ...outputs, equal: all.every((n) => n === all[0]) },
    };
  }
  return out;
}

export function summariseMicro(results: CaseResult[], params: Record<string, unknown>) {
  const names = [...new Set(results.map(label))];
  const summary = Object.fromEntries(
    names
      .filter((name) => ok(results, name).length)
      .map((name) => {
        const runs = ok(results, name);
        return [
          name,
          {
            recordsPerSec: runStats(runs.map((r) => r.recordsPerSec)),
            mbPerSec: runStats(runs.map((r) => r.mbPerSec)),
            secondsWithStartup: runStats(runs.map((r) => r.secondsWithStartup)),
            inputRecords: runStats(runs.map((r) => r.inputRecords)),
            outputRecords: runStats(runs.map((r) => r.outputRecords)),
          },
        ];
      }),
  );
  const limit = summary['consumeproduce']?.recordsPerSec.median;
  const ratios = limit
    ? Object.fromEntries(Object.entries(summary).map(([k, v]) => [k, v.recordsPerSec.median / limit]))
    : {};
  const versus = versusKafkaStreams(results);
  const join = versus['streamstreamjoin'];
  return {
    title: 'SimpleBenchmark-style micro-benchmarks, streamtune beside Kafka Streams',
    page: '6-beyond.md',
    params,
    summary,
    ratioToKafkajsConsumeProduce: ratios,
    versusKafkaStreams: versus,
    ...(join ? { joinResults: join.outputRecords } : {}),
    runs: results,
  };
}

/** The comparison as a few lines for the terminal. */
export function formatVersus(versus: Record<string, Versus>): string {
  const k = (x: number) => `${Math.round(x).toLocaleString('en-US')}`;
  return Object.entries(versus)
    .map(
      ([name, v]) =>
        `  ${name}: streamtune ${k(v.streamtune.median)} (${k(v.streamtune.min)}–${k(v.streamtune.max)}) · kafka-streams ${k(v.kafkaStreams.median)} (${k(v.kafkaStreams.min)}–${k(v.kafkaStreams.max)}) rec/s · ratio ${v.ratio.median.toFixed(2)}× (${v.ratio.min.toFixed(2)}–${v.ratio.max.toFixed(2)}) · outputs ${v.outputRecords.equal ? 'equal' : 'DIFFER'}: ${v.outputRecords.streamtune.join('/')} vs ${v.outputRecords.kafkaStreams.join('/')}`,
    )
    .join('\n');
}
