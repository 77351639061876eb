import {
  compare,
  formatDifference,
  scenarioSize,
  smallest,
  type Comparison,
  type Difference,
} from './compare';
import { generateScenarios } from './generator';
import { buildJavaRunner, KAFKA_STREAMS_VERSIONS, runKafkaStreams } from './java-runner';
import type { Scenario } from './scenario';
import { shrinkCandidates } from './shrink';
import { runStreamtuneAll } from './ts-runner';

export interface SuiteOptions {
  /** Seeds; each gives `count` scenarios. */
  readonly seeds: readonly number[];
  readonly count: number;
  readonly versions?: readonly string[];
  /**
   * Kafka Streams' DSL stores in the Java runner: its default RocksDB stores (the default
   * here), or its in-memory ones, which differ in one place (see README).
   */
  readonly stores?: 'in-memory' | 'rocksdb';
  /** Rounds of shrinking the smallest differing scenario (default 6; each is one JVM run). */
  readonly shrinkRounds?: number;
  readonly log?: (line: string) => void;
}

export interface VersionReport {
  readonly version: string;
  readonly comparison: Comparison;
  /** The smallest scenario that still differs, shrunk; undefined when all are identical. */
  readonly smallest?: Difference;
  readonly summary: string;
}

export async function runSuite(options: SuiteOptions): Promise<VersionReport[]> {
  const log = options.log ?? (() => undefined);
  const scenarios = options.seeds.flatMap((seed) => generateScenarios(seed, options.count));
  const started = Date.now();
  const actual = await runStreamtuneAll(scenarios);
  log(`streamtune: ${scenarios.length} scenarios in ${Date.now() - started} ms`);
  const reports: VersionReport[] = [];
  for (const version of options.versions ?? KAFKA_STREAMS_VERSIONS) {
    const t0 = Date.now();
    const classpath = buildJavaRunner(version);
    const t1 = Date.now();
    const expected = runKafkaStreams(classpath, version, scenarios, { stores: options.stores });
    log(
      `kafka-streams ${version}: runner built in ${t1 - t0} ms, ${scenarios.length} scenarios in ${Date.now() - t1} ms`,
    );
    const comparison = compare(scenarios, expected, actual);
    let small = smallest(comparison.differences);
    if (small) small = await shrink(small, classpath, version, options);
    const summary =
      `conformance vs Kafka Streams ${version}: ${comparison.scenarios} scenarios (seeds ${options.seeds.join(',')} x ${options.count}), ` +
      `${comparison.identicalPerStep} identical at every step, ${comparison.identicalFinal} identical in final output, ` +
      `${comparison.differences.length} differ`;
    reports.push({ version, comparison, ...(small ? { smallest: small } : {}), summary });
  }
  return reports;
}

/** Greedy shrinking: each round runs all smaller variants in one JVM and keeps the smallest still differing. */
async function shrink(
  d: Difference,
  classpath: string,
  version: string,
  options: SuiteOptions,
): Promise<Difference> {
  let best = d;
  for (let round = 0; round < (options.shrinkRounds ?? 6); round++) {
    const candidates = shrinkCandidates(best.scenario);
    if (candidates.length === 0) break;
    const expected = runKafkaStreams(classpath, version, candidates, { stores: options.stores });
    const actual = await runStreamtuneAll(candidates);
    const next = smallest(
      compare(candidates, expected, actual).differences.filter((x) => x.step >= 0 || best.step < 0),
    );
    if (!next || scenarioSize(next.scenario) >= scenarioSize(best.scenario)) break;
    best = next;
  }
  return best;
}

export function formatReport(reports: readonly VersionReport[], maxDifferences = 5): string {
  const lines: string[] = [];
  for (const r of reports) {
    const shown = r.comparison.differences.slice(0, maxDifferences);
    for (const d of shown) lines.push(formatDifference(d, `kafka-streams ${r.version}`));
    if (r.comparison.differences.length > shown.length)
      lines.push(`... and ${r.comparison.differences.length - shown.length} more differing scenarios`);
    if (r.smallest)
      lines.push(
        `smallest differing scenario (shrunk):\n${formatDifference(r.smallest, `kafka-streams ${r.version}`)}`,
      );
  }
  for (const r of reports) lines.push(r.summary);
  return lines.join('\n');
}

export type { Scenario };
