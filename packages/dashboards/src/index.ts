export { dashboardDefinitions, dashboardJson, builtDashboards } from './definitions/index';
export { buildDashboard, DATASOURCE, SCHEMA_VERSION } from './grafana/build';
export type { DashboardSpec, PanelSpec, RowSpec, VariableSpec, Query } from './grafana/build';
export { panelsOf } from './grafana/model';
export type { Dashboard, Panel, PromTarget, Variable, GridPos } from './grafana/model';
export {
  gridProblems,
  panelProblems,
  variableProblems,
  unknownMetricNames,
  labelValuesMetric,
  labelValuesLabel,
} from './checks/dashboard-structure';
export { readDashboardFiles, recordingRules } from './dashboard-files';
export {
  loadCompose,
  listeningPorts,
  bindMounts,
  buildOf,
  dockerfileSources,
  environmentOf,
  dockerfileCmd,
  appInvocation,
  dockerfileUser,
  dockerfileChownedPaths,
} from './compose';
export type { ComposeProject, ComposeService, AppInvocation } from './compose';
export { paths } from './paths';
export { dashboardsHtmlReport, drawnPanels } from './live/html-report';
export type { ReportPanel } from './live/html-report';
export type { QueryWindow } from './live/queries';
