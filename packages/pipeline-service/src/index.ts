export { runService, main, serviceConfig, applicationIdOf, METRICS_PORTS } from './run-service';
export type { ServiceDefinition, TopologyContext, RunningService } from './run-service';
export { applyProfileOverrides, loadProfile } from './profile';
export type { Profile, ProfileFile } from './profile';
export { readEnvironment } from './environment';
export type { ServiceEnvironment } from './environment';
export { inputSerde, outputSerde } from './serdes';
export { joinWindowsOf } from './windows';
