/** Just enough of the Prometheus text exposition format to read a process's /metrics. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Every sample with a finite value (NaN and ±Inf gauges would poison sums). */
export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]!] = l[2]!;
    const value = Number(m[3]);
    if (Number.isFinite(value)) samples.push({ name: m[1]!, labels, value });
  }
  return samples;
}

/** Sum of a family's series (optionally those whose labels match); undefined when absent. */
export function sumOf(
  samples: readonly Sample[],
  name: string,
  match: (labels: Record<string, string>) => boolean = () => true,
): number | undefined {
  let total: number | undefined;
  for (const s of samples) if (s.name === name && match(s.labels)) total = (total ?? 0) + s.value;
  return total;
}

/** The exposition at `url`; undefined when it does not answer 2xx in time (down, restarting). */
export async function scrapeText(url: string, timeoutMs = 2_000): Promise<string | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok ? await res.text() : undefined;
  } catch {
    return undefined;
  }
}

export async function scrape(url: string, timeoutMs = 2_000): Promise<Sample[] | undefined> {
  const text = await scrapeText(url, timeoutMs);
  return text === undefined ? undefined : parsePrometheusText(text);
}
