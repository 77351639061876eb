import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@streamtune/testkit';
import { referencePipeline } from './reference-pipeline';
import { standInPipeline } from './stand-in-pipeline';

/**
 * A short, real run of a pipeline on the broker in KAFKA_BROKERS, with every service
 * exposing its metrics: what the dashboards' live check and the docs' images read.
 */
export interface PipelineRun {
  /** host:port of every service's /metrics, known before any traffic flows. */
  readonly metricsTargets: string[];
  /** Starts the services, drives traffic for `durationMs`, and returns what happened. */
  drive(durationMs: number): Promise<PipelineSummary>;
  /** Stops the services and metrics servers, deletes the run's topics and state. */
  close(): Promise<void>;
}

export interface PipelineSummary {
  ordersProduced: number;
  restoredRecords: number;
  deadLetters: number;
  commits: number;
}

export interface ShortPipelineOptions {
  /** Input and output partitions (tasks per sub-topology). */
  partitions?: number;
  /** Orders per second the traffic generator produces. */
  ordersPerSecond?: number;
  log?: (line: string) => void;
}

/**
 * The reference pipeline (apps/checkout, fulfillment, marketing and the load generator as
 * processes) when it is in the repository; DASHBOARDS_PIPELINE=stand-in (or =reference)
 * chooses explicitly. The stand-in runs in this process and needs no apps.
 */
export function runShortPipeline(options: ShortPipelineOptions = {}): Promise<PipelineRun> {
  const chosen =
    process.env.DASHBOARDS_PIPELINE ??
    (existsSync(join(repoRoot(), 'apps/checkout/src/main.ts')) ? 'reference' : 'stand-in');
  if (chosen === 'reference') return referencePipeline(options);
  if (chosen === 'stand-in') return standInPipeline(options);
  throw new Error(`DASHBOARDS_PIPELINE must be reference or stand-in, got "${chosen}"`);
}
