import { parseArgs } from 'node:util';
import { formatReport, runSuite } from './suite';
import { KAFKA_STREAMS_VERSIONS } from './java-runner';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    seeds: { type: 'string' },
    count: { type: 'string', default: '200' },
    version: { type: 'string', multiple: true },
    stores: { type: 'string', default: 'rocksdb' },
    differences: { type: 'string', default: '5' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

const USAGE = `usage: npm run conformance -- [--seed N | --seeds 1,2,3] [--count M] [--version 3.9.1]... [--stores in-memory] [--differences D]
  --seed N / --seeds a,b,c  seeds of the generated scenarios (default 1)
  --count M                 scenarios per seed (default 200; scenario i of a seed does not depend on M)
  --version V               a Kafka Streams version to compare with, repeatable (default: ${KAFKA_STREAMS_VERSIONS.join(', ')})
  --stores in-memory        Kafka Streams' in-memory DSL stores instead of RocksDB
  --differences D           differing scenarios printed per version (default 5)
exits 1 when any scenario differs`;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const seeds = (values.seeds ?? values.seed).split(',').map((s) => Number.parseInt(s, 10));
const count = Number.parseInt(values.count, 10);
if (seeds.some((s) => !Number.isSafeInteger(s)) || !(count > 0)) {
  console.error(USAGE);
  process.exit(2);
}
const stores = values.stores === 'in-memory' ? 'in-memory' : 'rocksdb';
const reports = await runSuite({
  seeds,
  count,
  versions: values.version ?? [...KAFKA_STREAMS_VERSIONS],
  stores,
  log: (line) => console.error(line),
});
console.log(formatReport(reports, Number.parseInt(values.differences, 10)));
process.exit(reports.every((r) => r.comparison.differences.length === 0) ? 0 : 1);
