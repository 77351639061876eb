/**
 * The Kafka Streams side: builds bench/kafka-streams (Maven, the broker's kafka-streams
 * version from infra/kafka/pom.xml) once, then runs one case per JVM and reads the JSON line
 * it prints. Same broker, same input topics, same timing rule as streamtune's runs.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../../lib/processes';
import { createTopics, endOffsetsSum, engineResult, type CaseResult, type Ctx } from './setup';
import { expectedInputs, type EngineCase } from './streamtune-cases';

const run = promisify(execFile);
const PROJECT = join(ROOT, 'bench/kafka-streams');
const MAIN = 'dev.streamtune.bench.SimpleBenchmark';

export interface KafkaStreamsBench {
  version: string;
  classpath: string;
  javaOpts: string[];
}

/** What the Java program prints, one JSON line on stdout. */
interface JavaRun {
  engine: 'kafka-streams';
  version: string;
  case: string;
  inputRecords: number;
  outputRecords: number;
  startedAtMs: number;
  firstRecordAtMs: number;
  lastRecordAtMs: number;
  closedAtMs: number;
  config: Record<string, unknown>;
  error: string | null;
}

/** The broker's Kafka version: infra/kafka/pom.xml's `kafka.version` property. */
export function brokerKafkaVersion(): string {
  const pom = readFileSync(join(ROOT, 'infra/kafka/pom.xml'), 'utf8');
  const m = /<kafka\.version>\s*([^<\s]+)\s*<\/kafka\.version>/.exec(pom);
  if (!m?.[1]) throw new Error('infra/kafka/pom.xml has no <kafka.version> property');
  return m[1];
}

function sourcesHash(version: string): string {
  const h = createHash('sha256').update(version);
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else h.update(p).update(readFileSync(p));
    }
  };
  h.update(readFileSync(join(PROJECT, 'pom.xml')));
  walk(join(PROJECT, 'src'));
  return h.digest('hex');
}

/**
 * Builds the jar for the broker's version unless target/<version>/ already holds a build of
 * the same sources (`mvn -q`; jars come from Maven Central once, then ~/.m2).
 */
export function buildKafkaStreamsBench(): KafkaStreamsBench {
  const version = brokerKafkaVersion();
  const target = join(PROJECT, 'target', version);
  const stamp = join(target, '.built');
  const hash = sourcesHash(version);
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== hash) {
    console.error(`[simple-benchmark] building bench/kafka-streams with kafka-streams ${version} (Maven)`);
    // Maven prints its errors on stdout: keep both and show them only when the build fails
    try {
      execFileSync(
        'mvn',
        ['-q', '-B', '-f', join(PROJECT, 'pom.xml'), `-Dkafka.version=${version}`, 'package'],
        { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64e6 },
      );
    } catch (err) {
      const e = err as { stdout?: Buffer; stderr?: Buffer };
      console.error(`${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`);
      throw new Error(`building bench/kafka-streams with kafka-streams ${version} failed (output above)`);
    }
    writeFileSync(stamp, hash);
  }
  const javaOpts = (process.env.BENCH_JAVA_OPTS ?? '-Xmx1g').split(/\s+/).filter(Boolean);
  return { version, classpath: `${target}/kafka-streams-bench.jar:${target}/lib/*`, javaOpts };
}

export async function kafkaStreamsCase(
  bench: KafkaStreamsBench,
  ctx: Ctx,
  name: EngineCase,
  round: number,
): Promise<CaseResult> {
  const stateDir = mkdtempSync(join(tmpdir(), 'simple-bench-ks-'));
  const out = `${ctx.prefix}.out-ks-${name}-${round}`;
  if (name === 'streamprocesswithsink') await createTopics(ctx.brokers, [out]);
  const timeoutMs = 600_000;
  const args = [
    ...bench.javaOpts,
    '-cp',
    bench.classpath,
    MAIN,
    ...['--bootstrap', ctx.brokers, '--case', name, '--input-a', ctx.inputA, '--input-b', ctx.inputB],
    ...['--output', out, '--application-id', `${ctx.prefix}-ks-${name}-${round}`, '--state-dir', stateDir],
    ...['--expected-input', String(expectedInputs(name, ctx)), '--timeout-ms', String(timeoutMs)],
  ];
  let stdout: string;
  try {
    ({ stdout } = await run('java', args, { maxBuffer: 64e6, timeout: timeoutMs + 120_000 }));
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`kafka-streams ${name}: ${e.message.split('\n')[0]} ${(e.stderr ?? '').slice(-500)}`);
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
  const line = stdout.trim().split('\n').at(-1) ?? '';
  const j = JSON.parse(line) as JavaRun;
  // with a sink, count the topic as for streamtune (the JVM has closed, so its sends are in)
  const outputs = name === 'streamprocesswithsink' ? await endOffsetsSum(ctx.brokers, out) : j.outputRecords;
  const r = engineResult(
    name,
    'kafka-streams',
    round,
    ctx,
    { inputs: j.inputRecords, outputs },
    {
      startedAt: j.startedAtMs,
      firstRecordAt: j.firstRecordAtMs,
      lastRecordAt: j.lastRecordAtMs,
      closedAt: j.closedAtMs,
    },
  );
  if (j.error) r.error = j.error;
  return { ...r, kafkaStreams: { version: j.version, config: j.config } };
}
