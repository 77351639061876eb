// The process harness: what the bench, the demo, the dashboards' live check and the
// integration tests use to start processes, wait for them and read their /metrics.
// Node built-ins only, so apps can import it without pulling in a Kafka client.
export { startProcess, tsxEntry, exitCode, describeExit, ManagedProcess } from './process';
export type { ExitStatus, ProcessSpec } from './process';
export { Supervisor } from './supervisor';
export type { SupervisorOptions, SupervisedState, Crash } from './supervisor';
export { waitForHttp } from './http';
export type { WaitForHttpOptions } from './http';
export { freePort, freePorts, freePortPair, portAnswers } from './ports';
export { parsePrometheusText, sumOf, scrape, scrapeText } from './prometheus-text';
export type { Sample } from './prometheus-text';
export { MonotonicCounters } from './counters';
export { sleep } from './sleep';
export { repoRoot } from '../repo-root';
