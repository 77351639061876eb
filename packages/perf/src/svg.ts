/**
 * Minimal SVG charts for the playbook: grouped bars (before/after per metric)
 * and lines (a sweep). Self-contained markup, no fonts or scripts to load, so
 * they render the same on GitHub and in docs sites.
 */

export interface ChartBase {
  title: string;
  yLabel?: string;
  width?: number;
  height?: number;
}

export interface BarChart extends ChartBase {
  categories: string[];
  series: { name: string; values: number[] }[];
}

export interface LineChart extends ChartBase {
  xLabel?: string;
  /** Logarithmic x axis (sweeps over 0, 5, 100, 1000, 30000 ms read better so). */
  logX?: boolean;
  series: { name: string; points: [number, number][] }[];
}

const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1'];
const MARGIN = { top: 40, right: 20, bottom: 60, left: 70 };

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Round tick values covering [0, max]: 1, 2 or 5 times a power of ten. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power) as number;
  const ticks: number[] = [];
  for (let v = 0; v < max + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  if ((ticks.at(-1) ?? 0) < max) ticks.push(Number((ticks.length * step).toPrecision(12)));
  return ticks;
}

export function formatNumber(v: number): string {
  const abs = Math.abs(v);
  if (abs >= 1e9) return `${trim(v / 1e9)}G`;
  if (abs >= 1e6) return `${trim(v / 1e6)}M`;
  if (abs >= 1e4) return `${trim(v / 1e3)}k`;
  return trim(v);
}

const trim = (v: number) => String(Number(v.toPrecision(3)));

interface Frame {
  width: number;
  height: number;
  plotW: number;
  plotH: number;
  yMax: number;
  y: (v: number) => number;
  parts: string[];
}

function frame(chart: ChartBase, maxValue: number): Frame {
  const width = chart.width ?? 640;
  const height = chart.height ?? 360;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const ticks = niceTicks(maxValue);
  const yMax = ticks.at(-1) ?? 1;
  const y = (v: number) => MARGIN.top + plotH - (v / yMax) * plotH;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(chart.title)}</text>`,
  ];
  for (const t of ticks) {
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(t)}" y2="${y(t)}" stroke="#e0e0e0"/>`,
      `<text x="${MARGIN.left - 6}" y="${y(t) + 4}" text-anchor="end">${formatNumber(t)}</text>`,
    );
  }
  if (chart.yLabel) {
    const cy = MARGIN.top + plotH / 2;
    parts.push(
      `<text x="16" y="${cy}" text-anchor="middle" transform="rotate(-90 16 ${cy})">${escapeXml(chart.yLabel)}</text>`,
    );
  }
  parts.push(
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#333"/>`,
    `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH}" stroke="#333"/>`,
  );
  return { width, height, plotW, plotH, yMax, y, parts };
}

function legend(f: Frame, names: string[]): void {
  let x = MARGIN.left;
  const y = f.height - 14;
  names.forEach((name, i) => {
    f.parts.push(
      `<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${PALETTE[i % PALETTE.length]}"/>`,
      `<text x="${x + 16}" y="${y}">${escapeXml(name)}</text>`,
    );
    x += 28 + name.length * 7;
  });
}

function checkValues(values: number[], what: string): void {
  for (const v of values) {
    if (!Number.isFinite(v) || v < 0) throw new Error(`${what}: values must be finite and >= 0, got ${v}`);
  }
}

export function barChartSvg(chart: BarChart): string {
  for (const s of chart.series) {
    if (s.values.length !== chart.categories.length) {
      throw new Error(
        `bar chart "${chart.title}": series "${s.name}" has ${s.values.length} values for ${chart.categories.length} categories`,
      );
    }
    checkValues(s.values, `bar chart "${chart.title}"`);
  }
  const f = frame(chart, Math.max(0, ...chart.series.flatMap((s) => s.values)));
  const groupW = f.plotW / Math.max(1, chart.categories.length);
  const barW = (groupW * 0.8) / Math.max(1, chart.series.length);
  chart.categories.forEach((category, c) => {
    const gx = MARGIN.left + c * groupW + groupW * 0.1;
    chart.series.forEach((s, i) => {
      const v = s.values[c] as number;
      const top = f.y(v);
      f.parts.push(
        `<rect x="${(gx + i * barW).toFixed(1)}" y="${top.toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${(MARGIN.top + f.plotH - top).toFixed(1)}" fill="${PALETTE[i % PALETTE.length]}"><title>${escapeXml(`${s.name} ${category}: ${v}`)}</title></rect>`,
      );
    });
    f.parts.push(
      `<text x="${(gx + groupW * 0.4).toFixed(1)}" y="${MARGIN.top + f.plotH + 16}" text-anchor="middle">${escapeXml(category)}</text>`,
    );
  });
  legend(
    f,
    chart.series.map((s) => s.name),
  );
  f.parts.push('</svg>');
  return f.parts.join('\n');
}

export function lineChartSvg(chart: LineChart): string {
  const all = chart.series.flatMap((s) => s.points);
  checkValues(
    all.map((p) => p[1]),
    `line chart "${chart.title}"`,
  );
  if (chart.logX && all.some((p) => p[0] < 0))
    throw new Error(`line chart "${chart.title}": log x needs x >= 0`);
  const f = frame(chart, Math.max(0, ...all.map((p) => p[1])));
  // log1p keeps x = 0 (e.g. lingerMs 0) on a log axis
  const tx = (x: number) => (chart.logX ? Math.log1p(x) : x);
  const xs = all.map((p) => tx(p[0]));
  const xMin = Math.min(...xs, 0);
  const xMax = Math.max(...xs, xMin + 1);
  const x = (v: number) => MARGIN.left + ((tx(v) - xMin) / (xMax - xMin)) * f.plotW;
  const xTicks = [...new Set(all.map((p) => p[0]))].sort((a, b) => a - b);
  for (const t of xTicks.length <= 12
    ? xTicks
    : xTicks.filter((_, i) => i % Math.ceil(xTicks.length / 10) === 0)) {
    f.parts.push(
      `<text x="${x(t).toFixed(1)}" y="${MARGIN.top + f.plotH + 16}" text-anchor="middle">${formatNumber(t)}</text>`,
    );
  }
  if (chart.xLabel) {
    f.parts.push(
      `<text x="${MARGIN.left + f.plotW / 2}" y="${MARGIN.top + f.plotH + 34}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`,
    );
  }
  chart.series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const pts = [...s.points].sort((a, b) => a[0] - b[0]);
    if (pts.length > 1) {
      const d = pts.map((p, k) => `${k ? 'L' : 'M'}${x(p[0]).toFixed(1)},${f.y(p[1]).toFixed(1)}`).join(' ');
      f.parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    }
    for (const p of pts) {
      f.parts.push(
        `<circle cx="${x(p[0]).toFixed(1)}" cy="${f.y(p[1]).toFixed(1)}" r="3" fill="${color}"><title>${escapeXml(`${s.name} ${p[0]}: ${p[1]}`)}</title></circle>`,
      );
    }
  });
  legend(
    f,
    chart.series.map((s) => s.name),
  );
  f.parts.push('</svg>');
  return f.parts.join('\n');
}
