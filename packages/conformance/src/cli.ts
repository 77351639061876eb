import { parseArgs } from 'node:util';
import { formatReport, runSuite } from './suite';
import { KAFKA_STREAMS_VERSIONS } from './java-runner';

// npm run conformance -- --seed N --count M [--seeds 1,2,3] [--version 3.9.1] [--stores in-memory]
const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    seeds: { type: 'string' },
    count: { type: 'string', default: '200' },
    version: { type: 'string', multiple: true },
    stores: { type: 'string', default: 'rocksdb' },
    differences: { type: 'string', default: '5' },
  },
});

const seeds = (values.seeds ?? values.seed).split(',').map((s) => Number.parseInt(s, 10));
const count = Number.parseInt(values.count, 10);
if (seeds.some((s) => !Number.isSafeInteger(s)) || !(count > 0)) {
  console.error('usage: npm run conformance -- --seed N --count M [--version 3.9.1] [--stores in-memory]');
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
