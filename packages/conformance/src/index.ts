export * from './scenario';
export { generateScenario, generateScenarios } from './generator';
export { runStreamtune, runStreamtuneAll } from './ts-runner';
export { buildJavaRunner, runKafkaStreams, KAFKA_STREAMS_VERSIONS } from './java-runner';
export { compare, formatDifference, smallest, type Comparison, type Difference } from './compare';
export { runSuite, formatReport, type SuiteOptions, type VersionReport } from './suite';
