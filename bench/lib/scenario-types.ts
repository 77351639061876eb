import type { ServiceName } from '@streamtune/reference-model';

export interface LoadSpec {
  orders?: number;
  duration?: string;
  /** Good records per second over all input topics. */
  rate: number;
  recordSize: number;
  timeScale: number;
  seed?: string;
  /** More load generator flags, without the leading dashes. */
  extra?: Record<string, string>;
}

export interface Variant {
  name: string;
  /** The app profile it is, or extends when `overrides` is set. */
  profile: string;
  /** Knobs over `profile`, written as a bench profile file (sweeps). */
  overrides?: Record<string, unknown>;
  /** Where a sweep point sits on the x axis. */
  x?: number;
  load?: Partial<LoadSpec>;
}

export interface PipelineScenario {
  kind: 'pipeline';
  name: string;
  title: string;
  /** The playbook page it feeds. */
  page: string;
  services: ServiceName[];
  /** Output topics the verifier checks; the last is the "last stage". */
  topics: string[];
  windowScale: number;
  load: LoadSpec;
  /** Smaller load for --quick. */
  quickLoad?: Partial<LoadSpec>;
  /** `before`/`after` pair, or the points of a sweep. */
  variants: Variant[];
  sweep?: { knob: string; xLabel: string; logX?: boolean };
  defaultRuns: number;
  idleTimeout?: string;
  timeout?: string;
  crash?: { service: ServiceName; afterMs: number };
  recordChangelogs?: boolean;
  /** Figures worth a table row, in order. */
  headline: string[];
}
