import { join } from 'node:path';
import { repoRoot } from '@streamtune/testkit';

/** Where the things this package builds and checks live in the repository. */
export const paths = {
  root: () => repoRoot(),
  dashboards: () => join(repoRoot(), 'dashboards'),
  prometheus: () => join(repoRoot(), 'infra/prometheus'),
  grafanaProvisioning: () => join(repoRoot(), 'infra/grafana/provisioning'),
  composeFile: () => join(repoRoot(), 'compose.yaml'),
  dashboardImages: () => join(repoRoot(), 'docs/img/dashboards'),
};
