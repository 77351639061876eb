import type { Lesson } from './lessons';
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
  /** A capacity search instead of one rate: each rate for `stepDuration` (the load lasts their sum). */
  rateSteps?: { rates: number[]; stepDuration: string };
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
  /** SIGKILL and restart in this variant's runs only (a sweep point's duplicates run). */
  crash?: Crash;
}

export interface Crash {
  service: ServiceName;
  /** From the start of the load. */
  afterMs: number;
  /** The same for --quick, whose load is over before a full-size kill time. */
  quickAfterMs?: number;
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
  /** Join windows and the generator's delays: 1 is the reference pipeline's own size. */
  windowScale: number;
  /** The same for --quick (shorter windows close within seconds). */
  quickWindowScale?: number;
  load: LoadSpec;
  /** Smaller load for --quick. */
  quickLoad?: Partial<LoadSpec>;
  /** `before`/`after` pair, or the points of a sweep. */
  variants: Variant[];
  sweep?: { knob: string; xLabel: string; logX?: boolean };
  defaultRuns: number;
  idleTimeout?: string;
  timeout?: string;
  crash?: Crash;
  recordChangelogs?: boolean;
  /** Figures worth a table row, in order. */
  headline: string[];
  /** What the page claims; the report says per lesson whether the runs show it. */
  lessons?: Lesson[];
}
