import { buildDashboard, type DashboardSpec } from '../grafana/build';
import type { Dashboard } from '../grafana/model';
import { appOverview } from './app-overview';
import { brokerDashboard } from './broker';
import { infrastructure } from './infrastructure';
import { kafkaClients } from './kafka-clients';
import { stateStores } from './state-stores';

/** dashboards/<file> ← definition. The App overview comes first: it is Grafana's home dashboard. */
export const dashboardDefinitions: ReadonlyArray<{ file: string; spec: DashboardSpec }> = [
  { file: 'app-overview.json', spec: appOverview },
  { file: 'kafka-clients.json', spec: kafkaClients },
  { file: 'state-stores.json', spec: stateStores },
  { file: 'infrastructure.json', spec: infrastructure },
  { file: 'broker.json', spec: brokerDashboard },
];

/** The JSON text a definition builds, exactly as dashboards/ holds it. */
export function dashboardJson(spec: DashboardSpec): string {
  return `${JSON.stringify(buildDashboard(spec), null, 2)}\n`;
}

export function builtDashboards(): Array<{ file: string; dashboard: Dashboard }> {
  return dashboardDefinitions.map(({ file, spec }) => ({ file, dashboard: buildDashboard(spec) }));
}
