import { loadavg } from 'node:os';
import { QUIET_LOAD } from './lessons';

/**
 * Waits until the 1-minute load average is at most QUIET_LOAD, up to `maxWaitMs`. A run
 * leaves the load above 1.0 for a minute or two (its services, generator and verifier), so
 * starting the next one at once would make every run but the first noisy and uncounted.
 * A run that still starts above the bar is marked noisy by the start load pipeline-run.ts
 * records, not here.
 */
export async function waitForQuiet(
  maxWaitMs = 300_000,
  log = (line: string) => console.error(line),
): Promise<void> {
  const started = Date.now();
  let load = loadavg()[0]!;
  if (load <= QUIET_LOAD) return;
  log(`  waiting for a quiet machine (1-minute load ${load.toFixed(2)} > ${QUIET_LOAD.toFixed(1)})`);
  while (load > QUIET_LOAD && Date.now() - started < maxWaitMs) {
    await new Promise((r) => setTimeout(r, 5_000));
    load = loadavg()[0]!;
  }
  log(`  load ${load.toFixed(2)} after ${Math.round((Date.now() - started) / 1000)} s`);
}
