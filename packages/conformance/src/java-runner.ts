import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scenario, ScenarioResult } from './scenario';

/** The Kafka Streams versions the suite runs: the test broker's 3.9 line and the newest 4.x. */
export const KAFKA_STREAMS_VERSIONS = ['3.9.1', '4.4.0'] as const;

const javaDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'java');

const mtime = (path: string) => (existsSync(path) ? statSync(path).mtimeMs : Number.NaN);

/**
 * Builds the Java runner for one Kafka Streams version (Maven fetches the jars from Maven
 * Central once, into ~/.m2) and returns the java classpath. A build newer than the pom and
 * the runner's source is reused.
 */
export function buildJavaRunner(version: string): string {
  const target = join(javaDir, 'target', version);
  // Maven rewrites neither file when nothing changed: compare each with its own input
  const sources = join(javaDir, 'src', 'main', 'java', 'io', 'streamtune', 'conformance');
  const newestSource = Math.max(...readdirSync(sources).map((f) => mtime(join(sources, f))));
  const upToDate =
    mtime(join(target, 'classes', 'io', 'streamtune', 'conformance', 'Runner.class')) >= newestSource &&
    mtime(join(target, 'classpath.txt')) >= mtime(join(javaDir, 'pom.xml')) &&
    readFileSync(join(target, 'classpath.txt'), 'utf8')
      .trim()
      .split(':')
      .every((jar) => existsSync(jar));
  if (!upToDate) {
    execFileSync('mvn', ['-q', '-B', `-Dkafka.version=${version}`, 'package'], {
      cwd: javaDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  }
  const deps = readFileSync(join(target, 'classpath.txt'), 'utf8').trim();
  return `${join(target, 'classes')}:${deps}`;
}

/** Runs every scenario through Kafka Streams' TopologyTestDriver in one JVM. */
export function runKafkaStreams(
  classpath: string,
  version: string,
  scenarios: readonly Scenario[],
  options: { stores?: 'in-memory' | 'rocksdb' } = {},
): ScenarioResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'conformance-'));
  try {
    const input = join(dir, 'scenarios.json');
    const output = join(dir, 'results.json');
    writeFileSync(input, JSON.stringify(scenarios));
    execFileSync(
      'java',
      [
        '-XX:+UseSerialGC',
        '-XX:TieredStopAtLevel=1',
        // RocksDB state of thousands of short-lived drivers: on tmpfs, not synced to disk (6x faster)
        ...(existsSync('/dev/shm') ? ['-Djava.io.tmpdir=/dev/shm'] : []),
        `-Dconformance.kafkaVersion=${version}`,
        `-Dconformance.stores=${options.stores ?? 'rocksdb'}`,
        '-cp',
        classpath,
        'io.streamtune.conformance.Runner',
        input,
        output,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 },
    );
    const parsed = JSON.parse(readFileSync(output, 'utf8')) as { results: ScenarioResult[] };
    return parsed.results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
