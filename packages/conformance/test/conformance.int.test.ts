import { describe, expect, it } from 'vitest';
import { formatReport, runSuite } from '../src/suite';
import { KAFKA_STREAMS_VERSIONS } from '../src/java-runner';

/**
 * The CI seed set: every generated scenario must give, after every input record, the same
 * records (key, value, timestamp, order) in streamtune's TopologyTestDriver as in Kafka
 * Streams' own, for each supported Kafka Streams version. Needs a JDK and Maven (like the
 * test broker); Maven's jars are cached in ~/.m2 after the first run.
 */
export const CI_SEEDS = [1, 2, 3];
export const CI_COUNT = 200;

describe('conformance with Kafka Streams (TopologyTestDriver, per step)', () => {
  // a difference is deterministic: no retry, and the report names the smallest scenario
  it(
    `seeds ${CI_SEEDS.join(',')} x ${CI_COUNT} scenarios, Kafka Streams ${KAFKA_STREAMS_VERSIONS.join(' and ')}`,
    { timeout: 600_000, retry: 0 },
    async () => {
      const reports = await runSuite({ seeds: CI_SEEDS, count: CI_COUNT, log: (l) => console.log(l) });
      const text = formatReport(reports, 3);
      for (const r of reports) console.log(r.summary);
      const differing = reports.filter((r) => r.comparison.differences.length > 0);
      if (differing.length > 0) throw new Error(`streamtune differs from Kafka Streams:\n${text}`);
      expect(reports.map((r) => r.comparison.identicalPerStep)).toEqual(
        reports.map(() => CI_SEEDS.length * CI_COUNT),
      );
    },
  );
});
