import {
  INPUT_TOPICS,
  OUTPUT_TOPICS,
  expectedResults,
  expectedWarehouseRevenue,
  WAREHOUSE_REVENUE_TOPIC,
  type InputTopic,
  type Manifest,
} from '@streamtune/reference-model';
import type { Expected } from './tally';

export type Mode = 'outputs' | 'inputs';

/**
 * Per logical topic, what must (and may) arrive. Outputs: the join results the
 * manifest implies. Inputs: every good record the generator says it sent
 * (a check of the generator and the broker, used by tests and dry runs).
 */
export function expectationsFor(manifest: Manifest, mode: Mode): Map<string, Expected[]> {
  const out = new Map<string, Expected[]>();
  if (mode === 'outputs') {
    const results = expectedResults(manifest);
    for (const topic of OUTPUT_TOPICS) {
      out.set(
        topic,
        results[topic].map((r) => ({ id: r.id, required: r.required, sides: r.sides })),
      );
    }
    if (manifest.header.aggregations?.[WAREHOUSE_REVENUE_TOPIC]) {
      const windows = expectedWarehouseRevenue(manifest, results['orders-confirmed']);
      out.set(
        WAREHOUSE_REVENUE_TOPIC,
        windows.map((w) => ({ id: w.id, required: w.required })),
      );
    }
    return out;
  }
  for (const topic of INPUT_TOPICS) out.set(topic, []);
  const add = (topic: InputTopic, id: string) => out.get(topic)?.push({ id, required: true });
  for (const o of manifest.orders) {
    for (const [topic, ev] of Object.entries(o.events) as [InputTopic, { id: string }][]) add(topic, ev.id);
  }
  for (const s of manifest.sessions) {
    s.clicks.forEach((c) => add('ad-clicks', c.id));
    s.views.forEach((v) => add('page-views', v.id));
  }
  return out;
}
