/** Just enough of the Prometheus text format to read a service's /metrics while a run goes. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1] as string] = l[2] as string;
    const value = Number(m[3]);
    if (Number.isFinite(value)) samples.push({ name: m[1] as string, labels, value });
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

export async function scrape(url: string, timeoutMs = 2_000): Promise<Sample[] | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return undefined;
    return parsePrometheusText(await res.text());
  } catch {
    return undefined;
  }
}
