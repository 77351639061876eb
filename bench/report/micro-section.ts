import { barChartSvg, type ResultFile, type RunStats } from '@streamtune/perf';
import { QUIET_LOAD } from '../lib/lessons';
import { loadAtEnd } from '../lib/results';
import { cell, writeSvg } from './format';

/** The SimpleBenchmark section of page 6: streamtune's cases, and beside Kafka Streams. */
export interface MicroData {
  params: { n: number; valueSize: number; keys: number; partitions: number; rounds: number; quick: boolean };
  summary: Record<
    string,
    {
      recordsPerSec: RunStats;
      mbPerSec: RunStats;
      secondsWithStartup: RunStats;
      inputRecords: RunStats;
      outputRecords: RunStats;
    }
  >;
  ratioToKafkajsConsumeProduce: Record<string, number>;
  /** Since Kafka Streams runs beside streamtune (bench/kafka-streams). */
  versusKafkaStreams?: Record<
    string,
    {
      streamtune: RunStats;
      kafkaStreams: RunStats;
      ratio: { median: number; min: number; max: number };
      outputRecords: { streamtune: number[]; kafkaStreams: number[]; equal: boolean };
    }
  >;
  load?: { atStart: number[]; atEnd: number[] };
  runs: { case: string; engine?: string; error?: string }[];
}

/**
 * The run's load in words: the 1-minute load average when it started decides whether it
 * was quiet (the end figure includes the run's own broker and JVMs). Files written before
 * `load` was recorded only have the end figure, so they say so.
 */
function microLoad(d: MicroData, atWrite: readonly number[]): string {
  if (!d.load) return `load average when the file was written ${atWrite.join(' / ')} (start not recorded)`;
  const quiet = d.load.atStart[0]! <= QUIET_LOAD;
  return `load average at start ${d.load.atStart.join(' / ')} (${quiet ? 'quiet' : 'noisy'}), at end ${d.load.atEnd.join(' / ')}`;
}

/** streamtune beside Kafka Streams: input records/s, the ratio with its conservative range, outputs. */
function versusTable(d: MicroData): string[] {
  const v = d.versusKafkaStreams;
  if (!v || !Object.keys(v).length) return [];
  const version = (d.params as { kafkaStreamsVersion?: string }).kafkaStreamsVersion ?? '?';
  return [
    `Kafka Streams ${version} beside streamtune, same broker and input topics, alternating runs:`,
    '',
    '| case | streamtune records/s | Kafka Streams records/s | streamtune ÷ Kafka Streams | output records (streamtune / Kafka Streams) |',
    '|---|---|---|---|---|',
    ...Object.entries(v).map(
      ([n, x]) =>
        `| ${n} | ${cell('processedPerSec', x.streamtune)} | ${cell('processedPerSec', x.kafkaStreams)} | ${x.ratio.median.toFixed(2)}× (${x.ratio.min.toFixed(2)}–${x.ratio.max.toFixed(2)}) | ${x.outputRecords.streamtune.join(', ')} / ${x.outputRecords.kafkaStreams.join(', ')}${x.outputRecords.equal ? '' : ' (differ)'} |`,
    ),
    '',
  ];
}

const MICRO_ORDER = [
  'java-producer-perf',
  'java-consumer-perf',
  'kafkajs-produce',
  'consume',
  'consumeproduce',
  'streamprocess',
  'streamprocesswithsink',
  'streamprocesswithwindowstore',
  'streamstreamjoin',
];

export function microSection(r: ResultFile<MicroData>): string {
  const d = r.data;
  const p = d.params;
  const names = MICRO_ORDER.filter((n) => d.summary[n]);
  const rows = names.map((n) => {
    const s = d.summary[n]!;
    const ratio = d.ratioToKafkajsConsumeProduce[n];
    return `| ${n} | ${cell('processedPerSec', s.recordsPerSec)} | ${(s.mbPerSec.median ?? 0).toFixed(2)} | ${Math.round(s.inputRecords.median)} | ${Math.round(s.outputRecords.median)} | ${(s.secondsWithStartup.median ?? 0).toFixed(1)} | ${typeof ratio === 'number' ? ratio.toFixed(2) : '—'} |`;
  });
  const failed = d.runs
    .filter((x) => x.error)
    .map((x) => `${x.engine === 'kafka-streams' ? 'kafka-streams/' : ''}${x.case}: ${x.error}`);
  const path = writeSvg(
    'simple-benchmark.svg',
    barChartSvg({
      title: `records/s, ${p.n} records of ${p.valueSize} B (median of ${p.rounds})`,
      yLabel: 'records/s',
      categories: names.map((n) =>
        n.replace('streamprocess', 'sp').replace('withwindowstore', '+wstore').replace('withsink', '+sink'),
      ),
      series: [{ name: 'records/s', values: names.map((n) => d.summary[n]!.recordsPerSec.median ?? 0) }],
      width: 820,
    }),
  );
  return [
    `Measured ${r.createdAt.slice(0, 16).replace('T', ' ')} UTC on ${r.machine.cores} cores (${r.machine.cpuModel}), ${microLoad(d, loadAtEnd(r))}. ${p.n} records per input topic, ${p.valueSize} B values over ${p.keys} keys, ${p.partitions} partitions, ${p.rounds} round(s); cells: median (min–max).`,
    '',
    '| case | records/s | MB/s | input records | output records | seconds incl. start | ÷ kafkajs consume+produce |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...versusTable(d),
    ...(failed.length ? [`Failed runs: ${failed.join('; ')}`, ''] : []),
    `![SimpleBenchmark](${path})`,
  ].join('\n');
}
