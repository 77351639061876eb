import { parsePrometheusText, scrapeText } from '@streamtune/testkit/harness';

/** One scrape of a service's /metrics, reduced to what the progress view shows. */
export interface ServiceSample {
  up: boolean;
  state: string;
  processed: number;
  /** Records acknowledged per output topic (logical name, prefix removed). */
  sentByTopic: Map<string, number>;
  rssBytes: number;
  /** Cumulative process-latency histogram: upper bound (s) -> count. */
  latencyBuckets: Map<number, number>;
  deadLetters: number;
  dropped: number;
}

const empty = (up: boolean, state: string): ServiceSample => ({
  up,
  state,
  processed: 0,
  sentByTopic: new Map(),
  rssBytes: 0,
  latencyBuckets: new Map(),
  deadLetters: 0,
  dropped: 0,
});

export function summarize(text: string, topicPrefix: string): ServiceSample {
  const s = empty(true, '?');
  const strip = (t: string) =>
    topicPrefix && t.startsWith(`${topicPrefix}.`) ? t.slice(topicPrefix.length + 1) : t;
  for (const { name, labels, value } of parsePrometheusText(text)) {
    switch (name) {
      case 'streamtune_state':
        if (value === 1 && labels.state) s.state = labels.state;
        break;
      case 'streamtune_records_processed_total':
        s.processed += value;
        break;
      case 'streamtune_producer_records_sent_total': {
        const topic = strip(labels.topic ?? '');
        s.sentByTopic.set(topic, (s.sentByTopic.get(topic) ?? 0) + value);
        break;
      }
      case 'process_resident_memory_bytes':
        s.rssBytes = value;
        break;
      case 'streamtune_process_latency_seconds_bucket': {
        const le = labels.le === '+Inf' ? Infinity : Number(labels.le);
        s.latencyBuckets.set(le, (s.latencyBuckets.get(le) ?? 0) + value);
        break;
      }
      case 'streamtune_dead_letters_total':
        s.deadLetters += value;
        break;
      case 'streamtune_dropped_records_total':
        s.dropped += value;
        break;
    }
  }
  return s;
}

export const DOWN: ServiceSample = empty(false, 'down');

export async function scrape(url: string, topicPrefix: string): Promise<ServiceSample> {
  const text = await scrapeText(url);
  return text === undefined ? DOWN : summarize(text, topicPrefix);
}

/** The q-quantile (upper bucket bound, in ms) of the difference of two cumulative histograms. */
export function quantileMs(
  now: Map<number, number>,
  before: Map<number, number> | undefined,
  q: number,
): number | undefined {
  const bounds = [...now.keys()].sort((a, b) => a - b);
  const count = (le: number) => (now.get(le) ?? 0) - (before?.get(le) ?? 0);
  const total = bounds.length ? count(bounds.at(-1)!) : 0;
  if (total <= 0) return undefined;
  for (const le of bounds) if (count(le) >= q * total) return le === Infinity ? Infinity : le * 1000;
  return undefined;
}
