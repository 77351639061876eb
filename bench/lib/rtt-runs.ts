import { join } from 'node:path';
import type { RunOptions } from './pipeline-run';
import { startRttBroker } from './rtt-broker';
import type { PipelineScenario } from './scenario-types';

const BENCH_TMP = process.env.BENCH_TMP ?? '/tmp/streamtune-bench';

/** The scenario as measured at one RTT: its own results file, so every RTT keeps its runs. */
export function atRtt(scenario: PipelineScenario, rttMs: number): PipelineScenario {
  return {
    ...scenario,
    name: `${scenario.name}-rtt-${rttMs}ms`,
    title: `${scenario.title}, ${rttMs} ms RTT`,
  };
}

/**
 * Runs a scenario once per RTT, each on a fresh broker behind a delay proxy (0 ms included,
 * so the proxy's own cost is in every point alike and the RTT is the one difference).
 */
export async function runWithRtt(
  scenario: PipelineScenario,
  rtts: number[],
  run: (s: PipelineScenario, brokers: string, options: RunOptions) => Promise<void>,
): Promise<void> {
  for (const rttMs of rtts) {
    const broker = await startRttBroker(rttMs, join(BENCH_TMP, `broker-rtt-${rttMs}ms-${process.pid}`));
    console.error(
      `bench: broker ${broker.brokers}, services through the delay proxy ${broker.serviceBrokers} (${rttMs} ms RTT)`,
    );
    try {
      await run(atRtt(scenario, rttMs), broker.brokers, { serviceBrokers: broker.serviceBrokers, rttMs });
      console.error(`bench: ${broker.proxy.connections} connections went through the proxy`);
    } finally {
      await broker.stop();
    }
  }
}
