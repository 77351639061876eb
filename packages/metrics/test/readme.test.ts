import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { metricCatalog } from '../src/index';
import { README, withTable } from '../scripts/metric-table';

describe('README', () => {
  it('has the metric table the catalog generates (npm run readme:table -w @streamtune/metrics)', async () => {
    const readme = readFileSync(README, 'utf8');
    expect(readme).toBe(await withTable(readme));
    for (const spec of metricCatalog) expect(readme).toContain(`\`${spec.name}\``);
  });
});
