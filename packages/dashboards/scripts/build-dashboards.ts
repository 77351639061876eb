/**
 * Writes dashboards/*.json from the definitions in src/definitions (npm run dashboards:build).
 * A test fails when the committed JSON differs from what this writes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dashboardDefinitions, dashboardJson } from '../src/definitions/index';
import { paths } from '../src/paths';

mkdirSync(paths.dashboards(), { recursive: true });
for (const { file, spec } of dashboardDefinitions) {
  writeFileSync(join(paths.dashboards(), file), dashboardJson(spec));
  console.log(`dashboards/${file}: ${spec.title}`);
}
